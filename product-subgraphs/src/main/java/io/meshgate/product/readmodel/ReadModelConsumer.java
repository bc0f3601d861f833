package io.meshgate.product.readmodel;

import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.events.ChangeEvent;
import io.meshgate.product.events.ChangeEventCodec;
import io.meshgate.product.events.DeadLetter;
import io.meshgate.product.events.InvalidEventException;
import io.meshgate.product.events.Topics;
import io.meshgate.product.publish.EventPublisher;
import io.meshgate.product.publish.PublishException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a product's read model from its change topics. Each poll is validated event by event
 * (an invalid event goes to the dead-letter topic with its reasons and the consumer goes on),
 * applied in one database transaction, and only then acknowledged to Kafka. A crash between
 * the two replays the batch, which the LSN-guarded projections absorb.
 */
public final class ReadModelConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReadModelConsumer.class);

  private final ProductDefinition product;
  private final Map<String, Projection> projectionsByTopic = new LinkedHashMap<>();
  private final DSLContext dsl;
  private final ChangeEventCodec codec;
  private final EventPublisher deadLetters;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private volatile boolean closing;
  private final Map<TopicPartition, OffsetAndMetadata> appliedOffsets = new HashMap<>();
  private volatile @Nullable String lastError;

  public ReadModelConsumer(
      ProductDefinition product,
      String groupId,
      List<Projection> projections,
      DSLContext dsl,
      ChangeEventCodec codec,
      EventPublisher deadLetters,
      String bootstrapServers,
      Map<String, Object> overrides) {
    this.product = product;
    this.dsl = dsl;
    this.codec = codec;
    this.deadLetters = deadLetters;
    for (Projection projection : projections) {
      projectionsByTopic.put(topicOf(product, projection), projection);
    }
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    props.putAll(overrides);
    this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().name("meshgate-" + product.name() + "-read-model").daemon(true)
        .unstarted(this::run);
  }

  /** The change topic that feeds a projection: the product's own, or the source product's. */
  public static String topicOf(ProductDefinition product, Projection projection) {
    String source = projection.sourceProduct();
    return Topics.changes(source != null ? source : product.name(), projection.entity().name());
  }

  /** Starts consuming in the background. */
  public void start() {
    consumer.subscribe(List.copyOf(projectionsByTopic.keySet()));
    thread.start();
  }

  /** Events applied to the read model since start (including ones the LSN guard ignored). */
  public long applied() {
    return applied.get();
  }

  /** Events sent to the dead-letter topic since start. */
  public long rejected() {
    return rejected.get();
  }

  /** The last failure while applying, if the consumer is retrying. */
  public @Nullable String lastError() {
    return lastError;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(200);
    while (!closing) {
      try {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        process(records);
        appliedOffsets.putAll(nextOffsets(records));
        // Asynchronous: the next commit supersedes this one, and a replay after a crash is
        // absorbed by the LSN guard; close() commits synchronously.
        consumer.commitAsync(nextOffsets(records), (offsets, error) -> {
          if (error != null) {
            log.debug("{} read model offset commit failed; a later commit covers it", product.name(), error);
          }
        });
        lastError = null;
        backoff = Duration.ofMillis(200);
      } catch (WakeupException e) {
        break;
      } catch (RuntimeException | PublishException e) {
        lastError = e.getMessage();
        log.warn("{} read model could not apply a batch ({}); retrying in {} ms",
            product.name(), e.getMessage(), backoff.toMillis());
        if (!rewindAfter(backoff)) {
          break;
        }
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
            ? Duration.ofSeconds(10) : backoff.multipliedBy(2);
      }
    }
    try {
      if (!appliedOffsets.isEmpty()) {
        // Only what was applied: a batch interrupted by close() is read again next time.
        consumer.commitSync(appliedOffsets, Duration.ofSeconds(5));
      }
    } catch (RuntimeException e) {
      log.debug("final offset commit failed", e);
    }
    consumer.close(Duration.ofSeconds(5));
  }

  private void process(ConsumerRecords<String, byte[]> records) throws PublishException {
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
    dsl.transaction(cfg -> batches.forEach((projection, events) -> projection.apply(cfg.dsl(), events)));
    batches.values().forEach(events -> applied.addAndGet(events.size()));
  }

  private void reject(ConsumerRecord<String, byte[]> record, List<String> reasons) throws PublishException {
    String origin = record.topic() + "/" + record.partition() + "@" + record.offset();
    String payload = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    deadLetters.deadLetter(new DeadLetter(product.name(), "read-model", reasons, origin, record.key(), payload, Instant.now()));
    rejected.incrementAndGet();
    log.warn("{} read model rejected {} to the dead-letter topic: {}", product.name(), origin, String.join("; ", reasons));
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
      long last = partitionRecords.get(partitionRecords.size() - 1).offset();
      offsets.put(partition, new OffsetAndMetadata(last + 1));
    }
    return offsets;
  }

  /** Waits, then rewinds every assigned partition to its last committed offset. */
  private boolean rewindAfter(Duration backoff) {
    try {
      Thread.sleep(backoff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      Set<TopicPartition> assignment = consumer.assignment();
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
      for (TopicPartition partition : assignment) {
        OffsetAndMetadata offset = committed.get(partition);
        if (offset == null) {
          consumer.seekToBeginning(List.of(partition));
        } else {
          consumer.seek(partition, offset);
        }
      }
    } catch (WakeupException e) {
      return false;
    } catch (RuntimeException e) {
      log.debug("rewind failed; will retry", e);
    }
    return true;
  }

  @Override
  public void close() {
    closing = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
