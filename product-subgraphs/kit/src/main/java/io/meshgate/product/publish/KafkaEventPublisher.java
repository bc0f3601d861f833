package io.meshgate.product.publish;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.runtime.deadletter.DeadLetter;
import io.meshgate.runtime.deadletter.KafkaDeadLetters;
import io.meshgate.runtime.deadletter.PublishException;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a product's change events to {@code mesh.<product>.<entity>.changes} with an idempotent
 * producer ({@code acks=all}), keyed by primary key so each row's changes stay in order on one
 * partition. Every event is checked against its entity's JSON Schema first; one that fails goes to
 * {@code mesh.<product>.deadletter} with the reasons.
 */
public final class KafkaEventPublisher implements EventPublisher {

  private final ProductDefinition product;
  private final ChangeEventCodec codec;
  private final KafkaProducer<String, byte[]> producer;

  public KafkaEventPublisher(
      ProductDefinition product, ChangeEventCodec codec, String bootstrapServers) {
    this(product, codec, bootstrapServers, Map.of());
  }

  /** A publisher with extra producer properties (they override the defaults). */
  public KafkaEventPublisher(
      ProductDefinition product,
      ChangeEventCodec codec,
      String bootstrapServers,
      Map<String, Object> overrides) {
    this.product = product;
    this.codec = codec;
    this.producer =
        new KafkaProducer<>(
            producerProperties(product, bootstrapServers, overrides),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  static Properties producerProperties(
      ProductDefinition product, String bootstrapServers, Map<String, Object> overrides) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "meshgate-" + product.name() + "-publisher");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // Freshness over batching: a change should leave within a millisecond or two.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    props.putAll(overrides);
    return props;
  }

  @Override
  public void publish(List<ChangeEvent> events) throws PublishException {
    List<Future<RecordMetadata>> pending = new ArrayList<>(events.size());
    for (ChangeEvent event : events) {
      pending.add(send(event));
    }
    await(pending, "change events of " + product.name());
  }

  private Future<RecordMetadata> send(ChangeEvent event) {
    EntityDefinition entity =
        product
            .entity(event.entity())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "product " + product.name() + " has no entity " + event.entity()));
    var json = codec.toJson(event);
    List<String> violations = codec.violations(entity.eventSchema(), json);
    if (!violations.isEmpty()) {
      DeadLetter letter =
          new DeadLetter(
              product.name(),
              "capture",
              violations,
              "table " + entity.table(),
              event.recordKey(),
              json.toString(),
              Instant.now());
      return producer.send(deadLetterRecord(letter));
    }
    // The record's timestamp is the change's commit time: stream processors window on it.
    return producer.send(
        new ProducerRecord<>(
            Topics.changes(product.name(), entity.name()),
            null,
            event.source().commitTime().toEpochMilli(),
            event.recordKey(),
            json.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void deadLetter(DeadLetter letter) throws PublishException {
    await(List.of(producer.send(deadLetterRecord(letter))), "dead letter of " + product.name());
  }

  private static ProducerRecord<String, byte[]> deadLetterRecord(DeadLetter letter) {
    return KafkaDeadLetters.record(letter);
  }

  private static void await(List<Future<RecordMetadata>> pending, String what)
      throws PublishException {
    for (Future<RecordMetadata> future : pending) {
      try {
        future.get();
      } catch (ExecutionException e) {
        throw new PublishException(
            "could not publish " + what + ": " + e.getCause().getMessage(), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PublishException("interrupted while publishing " + what, e);
      }
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
