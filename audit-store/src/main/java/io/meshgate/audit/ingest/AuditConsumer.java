package io.meshgate.audit.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.store.AuditLog;
import io.meshgate.audit.store.SourceGap;
import io.meshgate.runtime.consume.ApplyFailure;
import io.meshgate.runtime.consume.OffsetGap;
import io.meshgate.runtime.consume.TopicConsumer;
import io.meshgate.runtime.deadletter.DeadLetter;
import io.meshgate.runtime.deadletter.KafkaDeadLetters;
import io.meshgate.runtime.deadletter.PublishException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the change events of every product's change topics to the audit log, in consumer group
 * {@value #GROUP_ID}: per poll, the events are grouped by product and each product's batch is
 * appended in one transaction, then the poll is acknowledged. A batch that fails is read again (the
 * log skips what it already holds). Nothing is passed over in silence: a record that is not a
 * readable change event of the product its topic names, or that the log refuses again and again
 * (say a lone surrogate in a string), goes to that product's dead-letter topic (stage {@code
 * audit}) with the reason; a range of a change topic deleted before it was read is logged at ERROR
 * and recorded as one of the product's {@linkplain AuditLog#gaps gaps}.
 */
public final class AuditConsumer extends TopicConsumer {

  private static final Logger log = LoggerFactory.getLogger(AuditConsumer.class);

  /** The audit log's consumer group: it catches up on every change topic on its own. */
  public static final String GROUP_ID = "audit-store";

  /** The stage dead letters of the audit log name. */
  public static final String STAGE = "audit";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuditLog auditLog;
  private final KafkaDeadLetters deadLetters;
  private final AtomicLong unreadable = new AtomicLong();

  /**
   * @param topics the change topics to consume, each {@code mesh.<product>.<entity>.changes}
   * @param deadLetters where records the log cannot record go
   * @param overrides consumer properties, see {@link TopicConsumer}
   */
  public AuditConsumer(
      AuditLog auditLog,
      Collection<String> topics,
      KafkaDeadLetters deadLetters,
      String bootstrapServers,
      Map<String, Object> overrides) {
    super("audit log", GROUP_ID, topics, bootstrapServers, overrides);
    this.auditLog = auditLog;
    this.deadLetters = deadLetters;
  }

  @Override
  protected void process(ConsumerRecords<String, byte[]> records) throws PublishException {
    Map<String, List<ChangeEvent>> byProduct = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      ChangeEvent event = readOrSetAside(record);
      if (event != null) {
        byProduct.computeIfAbsent(event.product(), product -> new ArrayList<>()).add(event);
      }
    }
    // A failure leaves the whole poll unacknowledged; the products appended before it absorb the
    // redelivery, since the log skips source positions it holds.
    byProduct.forEach(auditLog::append);
  }

  @Override
  protected void deadLetter(ConsumerRecord<String, byte[]> record, ApplyFailure failure)
      throws PublishException {
    deadLetters.send(failure.deadLetter(ChangeTopics.product(record.topic()), STAGE, record));
  }

  @Override
  protected void onGap(OffsetGap gap) {
    String product = ChangeTopics.product(gap.topic());
    boolean recorded =
        auditLog.recordGap(
            new SourceGap(
                product,
                gap.topic(),
                gap.partition(),
                gap.fromOffset(),
                gap.toOffset(),
                gap.detectedAt()));
    if (recorded) {
      log.error(
          "Audit log of {} has a gap: {} changes of {} were deleted before they were read; see"
              + " auditGaps",
          product,
          gap.size(),
          gap);
    }
  }

  /** Records set aside since start: unreadable ones, and ones the log refused again and again. */
  public long skippedRecords() {
    return unreadable.get() + deadLettered();
  }

  private @Nullable ChangeEvent readOrSetAside(ConsumerRecord<String, byte[]> record)
      throws PublishException {
    try {
      ChangeEvent event = read(record);
      String product = ChangeTopics.product(record.topic());
      String entity = ChangeTopics.entity(record.topic());
      if (!event.product().equals(product) || !event.entity().equals(entity)) {
        throw new IllegalArgumentException(
            "the event is of "
                + event.product()
                + "/"
                + event.entity()
                + ", not of the topic's "
                + product
                + "/"
                + entity);
      }
      return event;
    } catch (IllegalArgumentException e) {
      String reason = "not a change event the audit log can record: " + e.getMessage();
      String payload =
          record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
      deadLetters.send(
          new DeadLetter(
              ChangeTopics.product(record.topic()),
              STAGE,
              List.of(reason),
              ApplyFailure.origin(record),
              record.key(),
              payload,
              Instant.now()));
      unreadable.incrementAndGet();
      log.warn(
          "Audit log set aside {} on the dead-letter topic: {}",
          ApplyFailure.origin(record),
          reason);
      return null;
    }
  }

  private static ChangeEvent read(ConsumerRecord<String, byte[]> record) {
    byte[] value = record.value();
    if (value == null) {
      throw new IllegalArgumentException("the record has no value");
    }
    JsonNode envelope;
    try {
      envelope = JSON.readTree(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (envelope == null || !envelope.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return ChangeEvent.fromEnvelope(envelope);
  }
}
