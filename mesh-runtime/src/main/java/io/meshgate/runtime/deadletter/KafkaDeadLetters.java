package io.meshgate.runtime.deadletter;

import io.meshgate.runtime.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes dead letters to {@code mesh.<product>.deadletter} for parts of the mesh that have no
 * product publisher of their own (the audit log). Durable once {@link #send} returns.
 */
public final class KafkaDeadLetters implements AutoCloseable {

  /** Header with every reason, joined by {@code ; }. */
  public static final String REASON_HEADER = "meshgate.reason";

  /**
   * Header with where the rejected record came from ({@code topic/partition@offset} or a table).
   */
  public static final String ORIGIN_HEADER = "meshgate.origin";

  /** Header with the stage that rejected it. */
  public static final String STAGE_HEADER = "meshgate.stage";

  private final KafkaProducer<String, byte[]> producer;

  /** A producer of dead letters, named {@code clientId} in the broker's logs. */
  public KafkaDeadLetters(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** The record of a dead letter on its product's dead-letter topic, with the reason in headers. */
  public static ProducerRecord<String, byte[]> record(DeadLetter letter) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(Topics.deadLetter(letter.product()), letter.key(), letter.encode());
    record
        .headers()
        .add(
            new RecordHeader(
                REASON_HEADER,
                String.join("; ", letter.reasons()).getBytes(StandardCharsets.UTF_8)));
    record
        .headers()
        .add(new RecordHeader(ORIGIN_HEADER, letter.origin().getBytes(StandardCharsets.UTF_8)));
    record
        .headers()
        .add(new RecordHeader(STAGE_HEADER, letter.stage().getBytes(StandardCharsets.UTF_8)));
    return record;
  }

  /** Writes one dead letter and waits until it is durable. */
  public void send(DeadLetter letter) throws PublishException {
    try {
      producer.send(record(letter)).get();
    } catch (ExecutionException e) {
      throw new PublishException(
          "could not write a dead letter of " + letter.product() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishException(
          "interrupted while writing a dead letter of " + letter.product(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
