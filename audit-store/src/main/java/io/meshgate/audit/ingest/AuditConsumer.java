package io.meshgate.audit.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.store.AuditLog;
import io.meshgate.product.readmodel.TopicConsumer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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
 * log skips what it already holds); a record that is not a readable change event of the product its
 * topic names is skipped with a warning, since the products dead-letter invalid events themselves
 * and one bad record must never hold up the log.
 */
public final class AuditConsumer extends TopicConsumer {

  private static final Logger log = LoggerFactory.getLogger(AuditConsumer.class);

  /** The audit log's consumer group: it catches up on every change topic on its own. */
  public static final String GROUP_ID = "audit-store";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuditLog auditLog;
  private final AtomicLong skipped = new AtomicLong();

  /**
   * @param topics the change topics to consume, each {@code mesh.<product>.<entity>.changes}
   */
  public AuditConsumer(AuditLog auditLog, Collection<String> topics, String bootstrapServers, Map<String, Object> overrides) {
    super("audit log", GROUP_ID, topics, bootstrapServers, overrides);
    this.auditLog = auditLog;
  }

  @Override
  protected void process(ConsumerRecords<String, byte[]> records) {
    Map<String, List<ChangeEvent>> byProduct = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      ChangeEvent event = readOrSkip(record);
      if (event != null) {
        byProduct.computeIfAbsent(event.product(), product -> new ArrayList<>()).add(event);
      }
    }
    // A failure leaves the whole poll unacknowledged; the products appended before it absorb the
    // redelivery, since the log skips source positions it holds.
    byProduct.forEach(this::append);
  }

  /**
   * Appends one product's batch. The log refuses a whole batch for one event it cannot encode
   * (say a lone surrogate in a string); retrying would refuse it forever, so the batch is then
   * appended event by event, in source order, skipping only the events refused.
   */
  private void append(String product, List<ChangeEvent> events) {
    try {
      auditLog.append(product, events);
    } catch (IllegalArgumentException refused) {
      List<ChangeEvent> ordered = new ArrayList<>(events);
      ordered.sort(Comparator.comparingLong(event -> event.source().lsn()));
      for (ChangeEvent event : ordered) {
        try {
          auditLog.append(product, List.of(event));
        } catch (IllegalArgumentException e) {
          skipped.incrementAndGet();
          log.warn("Skipping the {} change of {}/{} {} at LSN {}: the audit log cannot record it ({})",
              event.op().code(), product, event.entity(), event.key(), event.source().lsn(), e.getMessage());
        }
      }
    }
  }

  /** Records skipped as unreadable since start. */
  public long skippedRecords() {
    return skipped.get();
  }

  private @Nullable ChangeEvent readOrSkip(ConsumerRecord<String, byte[]> record) {
    try {
      ChangeEvent event = read(record);
      String product = ChangeTopics.product(record.topic());
      String entity = ChangeTopics.entity(record.topic());
      if (!event.product().equals(product) || !event.entity().equals(entity)) {
        throw new IllegalArgumentException(
            "the event is of " + event.product() + "/" + event.entity() + ", not of the topic's " + product + "/" + entity);
      }
      return event;
    } catch (IllegalArgumentException e) {
      skipped.incrementAndGet();
      log.warn("Skipping record {}-{}@{}: not a change event the audit log can record ({})",
          record.topic(), record.partition(), record.offset(), e.getMessage());
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
