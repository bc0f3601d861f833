package io.meshgate.product.readmodel;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer group member that applies each polled batch to a store and only then acknowledges
 * it to Kafka (at least once: what it applies must be idempotent). A batch that fails is read
 * again from the last acknowledged offsets after a growing pause, so nothing is skipped. Reads
 * only committed records, so the output of transactional producers is seen once it commits.
 */
public abstract class TopicConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopicConsumer.class);

  private final String name;
  private final Collection<String> topics;
  private final KafkaConsumer<String, byte[]> consumer;
  private final Thread thread;
  private final Map<TopicPartition, OffsetAndMetadata> appliedOffsets = new HashMap<>();
  private volatile boolean closing;
  private volatile @Nullable String lastError;

  /**
   * @param name what the consumer feeds, for thread names and logs, e.g. {@code sales read model}
   * @param groupId the consumer group: each group catches up on its own
   * @param topics topics to consume
   * @param overrides consumer properties on top of the defaults
   */
  protected TopicConsumer(String name, String groupId, Collection<String> topics, String bootstrapServers,
      Map<String, Object> overrides) {
    this.name = name;
    this.topics = List.copyOf(topics);
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
    this.thread = Thread.ofPlatform().name("meshgate-" + name.replace(' ', '-')).daemon(true).unstarted(this::run);
  }

  /**
   * Applies one polled batch. Throwing leaves the batch unacknowledged: it is read again after a
   * pause.
   */
  protected abstract void process(ConsumerRecords<String, byte[]> records) throws Exception;

  /** Starts consuming in the background. */
  public void start() {
    consumer.subscribe(topics);
    thread.start();
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
        // absorbed by the idempotent store; close() commits synchronously.
        consumer.commitAsync(nextOffsets(records), (offsets, error) -> {
          if (error != null) {
            log.debug("{}: offset commit failed; a later commit covers it", name, error);
          }
        });
        lastError = null;
        backoff = Duration.ofMillis(200);
      } catch (WakeupException e) {
        break;
      } catch (Exception e) {
        lastError = e.getMessage();
        log.warn("{} could not apply a batch ({}); retrying in {} ms", name, e.getMessage(), backoff.toMillis());
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
