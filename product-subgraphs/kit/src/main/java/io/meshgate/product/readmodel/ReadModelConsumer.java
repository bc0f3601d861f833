package io.meshgate.product.readmodel;

import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.publish.EventPublisher;
import io.meshgate.runtime.consume.ApplyFailure;
import io.meshgate.runtime.consume.TopicConsumer;
import io.meshgate.runtime.deadletter.DeadLetter;
import io.meshgate.runtime.deadletter.PublishException;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a product's read model from its change topics. Each poll is validated event by event (an
 * invalid event goes to the dead-letter topic with its reasons and the consumer goes on), applied
 * in one database transaction, and only then acknowledged to Kafka. A crash between the two replays
 * the batch, which the LSN-guarded projections absorb. A valid event the database refuses again and
 * again also goes to the dead-letter topic (see {@link TopicConsumer}).
 */
public final class ReadModelConsumer extends TopicConsumer {

  private static final Logger log = LoggerFactory.getLogger(ReadModelConsumer.class);

  private final ProductDefinition product;
  private final Map<String, Projection> projectionsByTopic = new LinkedHashMap<>();
  private final DSLContext dsl;
  private final ChangeEventCodec codec;
  private final EventPublisher deadLetters;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  public ReadModelConsumer(
      ProductDefinition product,
      String groupId,
      List<Projection> projections,
      DSLContext dsl,
      ChangeEventCodec codec,
      EventPublisher deadLetters,
      String bootstrapServers,
      Map<String, Object> overrides) {
    super(groupId, groupId, topicsOf(product, projections), bootstrapServers, overrides);
    this.product = product;
    this.dsl = dsl;
    this.codec = codec;
    this.deadLetters = deadLetters;
    for (Projection projection : projections) {
      projectionsByTopic.put(topicOf(product, projection), projection);
    }
  }

  private static List<String> topicsOf(ProductDefinition product, List<Projection> projections) {
    return projections.stream().map(p -> topicOf(product, p)).distinct().toList();
  }

  /** The change topic that feeds a projection: the product's own, or the source product's. */
  public static String topicOf(ProductDefinition product, Projection projection) {
    String source = projection.sourceProduct();
    return Topics.changes(source != null ? source : product.name(), projection.entity().name());
  }

  /** Events applied to the read model since start (including ones the LSN guard ignored). */
  public long applied() {
    return applied.get();
  }

  /**
   * Events sent to the dead-letter topic since start: invalid ones, and valid ones that could not
   * be applied.
   */
  public long rejected() {
    return rejected.get() + deadLettered();
  }

  @Override
  protected void deadLetter(ConsumerRecord<String, byte[]> record, ApplyFailure failure)
      throws PublishException {
    deadLetters.deadLetter(failure.deadLetter(product.name(), "read-model", record));
  }

  @Override
  protected void process(ConsumerRecords<String, byte[]> records) throws PublishException {
    Map<Projection, List<ChangeEvent>> batches = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      Projection projection = projectionsByTopic.get(record.topic());
      if (projection == null) {
        continue;
      }
      try {
        ChangeEvent event = codec.decode(projection.entity().eventSchema(), record.value());
        batches.computeIfAbsent(projection, p -> new ArrayList<>()).add(event);
      } catch (InvalidEventException e) {
        reject(record, e.reasons());
      }
    }
    if (batches.isEmpty()) {
      return;
    }
    dsl.transaction(
        cfg -> batches.forEach((projection, events) -> projection.apply(cfg.dsl(), events)));
    batches.values().forEach(events -> applied.addAndGet(events.size()));
  }

  private void reject(ConsumerRecord<String, byte[]> record, List<String> reasons)
      throws PublishException {
    String origin = ApplyFailure.origin(record);
    String payload =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    deadLetters.deadLetter(
        new DeadLetter(
            product.name(), "read-model", reasons, origin, record.key(), payload, Instant.now()));
    rejected.incrementAndGet();
    log.warn(
        "{} read model rejected {} to the dead-letter topic: {}",
        product.name(),
        origin,
        String.join("; ", reasons));
  }
}
