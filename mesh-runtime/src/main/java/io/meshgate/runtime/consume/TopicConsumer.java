package io.meshgate.runtime.consume;

import io.meshgate.runtime.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
 * A consumer group member that applies each polled batch to a store and only then acknowledges it
 * to Kafka (at least once: what it applies must be idempotent). Reads only committed records, so
 * the output of transactional producers is seen once it commits.
 *
 * <p>What it promises: its offsets never pass a record that was neither applied nor set aside on
 * the dead-letter topic.
 *
 * <ul>
 *   <li>A batch that fails because of the infrastructure (database or broker away, deadlock; see
 *       {@link Failures}) is read again after a growing pause, from the first record not applied.
 *       If seeking back fails, it is retried (with a WARN) until it holds; the consumer never polls
 *       on from the position after the failed batch.
 *   <li>A batch that fails otherwise is applied record by record; a record that fails {@value
 *       #DEFAULT_MAX_ATTEMPTS} times in a row (property {@value #MAX_ATTEMPTS}) goes to {@link
 *       #deadLetter} with the reason and the consumer goes on with the records after it.
 *   <li>Offsets that were due next but are no longer in the log (retention or a deletion removed
 *       them first) are reported at ERROR and to {@link #onGap}; nothing is skipped in silence.
 * </ul>
 */
public abstract class TopicConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopicConsumer.class);

  /**
   * Consumer property (in the overrides, never passed to Kafka): how many times in a row a record
   * may fail to apply before it goes to the dead-letter topic.
   */
  public static final String MAX_ATTEMPTS = "meshgate.consumer.max-attempts";

  /** Default of {@link #MAX_ATTEMPTS}. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /**
   * Consumer property (in the overrides, never passed to Kafka): the first pause before a retry, in
   * milliseconds; it doubles up to 10 s.
   */
  public static final String RETRY_BACKOFF_MS = "meshgate.consumer.retry-backoff-ms";

  private static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(200);

  private final String name;
  private final Collection<String> topics;
  private final Consumer<String, byte[]> consumer;
  private final Thread thread;
  private final int maxAttempts;
  private final Duration initialBackoff;

  /** Offsets acknowledged after a whole batch was applied; committed again on close. */
  private final Map<TopicPartition, OffsetAndMetadata> appliedOffsets = new HashMap<>();

  /**
   * Per partition, the first offset not yet applied nor set aside: where a failed batch is read
   * again from, and what the next record read is expected to be. Consumer thread only.
   */
  private final Map<TopicPartition, Long> next = new HashMap<>();

  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong gaps = new AtomicLong();
  private volatile boolean closing;
  private volatile @Nullable String lastError;

  /**
   * @param name what the consumer feeds, for thread names and logs, e.g. {@code sales read model}
   * @param groupId the consumer group: each group catches up on its own
   * @param topics topics to consume
   * @param overrides consumer properties on top of the defaults, and {@link #MAX_ATTEMPTS} and
   *     {@link #RETRY_BACKOFF_MS}
   */
  protected TopicConsumer(
      String name,
      String groupId,
      Collection<String> topics,
      String bootstrapServers,
      Map<String, Object> overrides) {
    this(
        name,
        groupId,
        topics,
        bootstrapServers,
        overrides,
        props -> new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()));
  }

  /**
   * As the other constructor, with the Kafka consumer made by {@code consumerFactory} from the
   * properties (a seam to put a consumer that fails on purpose under test).
   */
  protected TopicConsumer(
      String name,
      String groupId,
      Collection<String> topics,
      String bootstrapServers,
      Map<String, Object> overrides,
      Function<Properties, Consumer<String, byte[]>> consumerFactory) {
    this.name = name;
    this.topics = List.copyOf(topics);
    Map<String, Object> kafkaOverrides = new HashMap<>(overrides);
    this.maxAttempts =
        positive(kafkaOverrides.remove(MAX_ATTEMPTS), DEFAULT_MAX_ATTEMPTS, MAX_ATTEMPTS);
    this.initialBackoff =
        Duration.ofMillis(
            positive(
                kafkaOverrides.remove(RETRY_BACKOFF_MS),
                (int) DEFAULT_BACKOFF.toMillis(),
                RETRY_BACKOFF_MS));
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    props.putAll(kafkaOverrides);
    this.consumer = consumerFactory.apply(props);
    this.thread =
        Thread.ofPlatform()
            .name("meshgate-" + name.replace(' ', '-'))
            .daemon(true)
            .unstarted(this::run);
  }

  private static int positive(@Nullable Object value, int fallback, String property) {
    if (value == null) {
      return fallback;
    }
    int parsed =
        value instanceof Number number
            ? number.intValue()
            : Integer.parseInt(value.toString().trim());
    if (parsed < 1) {
      throw new IllegalArgumentException(property + " must be at least 1, not " + value);
    }
    return parsed;
  }

  /**
   * Applies one polled batch. Throwing leaves the batch unacknowledged: it is read again after a
   * pause, or applied record by record (see the class documentation).
   */
  protected abstract void process(ConsumerRecords<String, byte[]> records) throws Exception;

  /**
   * Sets aside a record that failed to apply {@code failure.attempts()} times, durably (the
   * consumer goes past it once this returns). Throwing keeps the record: it is tried again later.
   */
  protected abstract void deadLetter(ConsumerRecord<String, byte[]> record, ApplyFailure failure)
      throws Exception;

  /**
   * Records offsets lost before they were read (already logged at ERROR). Throwing makes the
   * consumer read the batch again, and report the gap again, after a pause.
   */
  protected void onGap(OffsetGap gap) throws Exception {}

  /**
   * Whether offsets due next but no longer in the log are a loss worth reporting; false for a topic
   * whose old records are meant to expire unread.
   */
  protected boolean reportsGaps() {
    return true;
  }

  /**
   * True if a failure is not the record's fault, so it must not count against the record. By
   * default {@link Failures#isTransient}.
   */
  protected boolean isTransient(Exception failure) {
    return Failures.isTransient(failure);
  }

  /** Starts consuming in the background. */
  public void start() {
    consumer.subscribe(
        topics,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
          }
        });
    thread.start();
  }

  /** The last failure while applying, if the consumer is retrying. */
  public @Nullable String lastError() {
    return lastError;
  }

  /** Records sent to the dead-letter topic since start because they could not be applied. */
  public long deadLettered() {
    return deadLettered.get();
  }

  /** Gaps (ranges of offsets deleted before they were read) found since start. */
  public long gapsDetected() {
    return gaps.get();
  }

  /** Another member owns these partitions now; it starts from their committed offsets. */
  private void forget(Collection<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      next.remove(partition);
      appliedOffsets.remove(partition);
    }
  }

  private void run() {
    Backoff backoff = Backoff.doubling(initialBackoff, MAX_BACKOFF);
    while (!closing) {
      ConsumerRecords<String, byte[]> records = null;
      try {
        records = consumer.poll(POLL);
        if (records.isEmpty()) {
          continue;
        }
        checkForGaps(records);
        applyOrSetAside(records);
        Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(records);
        appliedOffsets.putAll(offsets);
        offsets.forEach((partition, offset) -> next.put(partition, offset.offset()));
        // Asynchronous: the next commit supersedes this one, and a replay after a crash is
        // absorbed by the idempotent store; close() commits synchronously.
        consumer.commitAsync(
            offsets,
            (committed, error) -> {
              if (error != null) {
                log.debug("{}: offset commit failed; a later commit covers it", name, error);
              }
            });
        lastError = null;
        backoff.reset();
      } catch (WakeupException e) {
        break;
      } catch (Exception e) {
        lastError = Failures.describe(e);
        Duration pause = backoff.next();
        log.warn(
            "{} could not apply a batch ({}); retrying in {} ms",
            name,
            lastError,
            pause.toMillis());
        if (!pause(pause) || (records != null && !rewind(records))) {
          break;
        }
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

  /**
   * Applies the batch whole; if that fails for a reason that is not the infrastructure's, record by
   * record, so that one bad record neither holds up the others nor takes them with it.
   */
  private void applyOrSetAside(ConsumerRecords<String, byte[]> records) throws Exception {
    try {
      process(records);
      return;
    } catch (WakeupException e) {
      throw e;
    } catch (Exception e) {
      if (isTransient(e)) {
        throw e;
      }
      log.warn(
          "{}: a batch of {} records failed ({}); applying them one by one",
          name,
          records.count(),
          Failures.describe(e));
    }
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
        applyOneOrSetAside(partition, record);
        next.put(partition, record.offset() + 1);
      }
    }
  }

  private void applyOneOrSetAside(TopicPartition partition, ConsumerRecord<String, byte[]> record)
      throws Exception {
    ConsumerRecords<String, byte[]> single =
        new ConsumerRecords<>(
            Map.of(partition, List.of(record)),
            Map.of(partition, new OffsetAndMetadata(record.offset() + 1)));
    Backoff backoff = Backoff.doubling(initialBackoff, MAX_BACKOFF);
    for (int attempt = 1; ; attempt++) {
      try {
        process(single);
        return;
      } catch (WakeupException e) {
        throw e;
      } catch (Exception e) {
        if (isTransient(e)) {
          throw e;
        }
        if (attempt >= maxAttempts) {
          ApplyFailure failure = new ApplyFailure(e, attempt);
          deadLetter(record, failure);
          deadLettered.incrementAndGet();
          log.error(
              "{}: {} {}; it is on the dead-letter topic and the records after it are applied"
                  + " (replay it by hand once the cause is fixed)",
              name,
              ApplyFailure.origin(record),
              failure.reason());
          return;
        }
        lastError = Failures.describe(e);
        Duration pause = backoff.next();
        log.warn(
            "{}: {} failed to apply (attempt {} of {}: {}); retrying in {} ms",
            name,
            ApplyFailure.origin(record),
            attempt,
            maxAttempts,
            lastError,
            pause.toMillis());
        if (!pause(pause)) {
          throw new WakeupException();
        }
      }
    }
  }

  /**
   * Compares each partition's records with the offset due next: a jump over offsets that are below
   * the log's start now means records were deleted before this consumer read them. A jump within
   * the log (transaction markers, compaction) loses nothing.
   */
  private void checkForGaps(ConsumerRecords<String, byte[]> records) throws Exception {
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
      long first = partitionRecords.getFirst().offset();
      if (reportsGaps()) {
        long expected = expectedNext(partition, first);
        if (first > expected) {
          reportIfDeleted(partition, expected, first);
        }
        long previous = first;
        for (ConsumerRecord<String, byte[]> record : partitionRecords) {
          if (record.offset() > previous + 1) {
            reportIfDeleted(partition, previous + 1, record.offset());
          }
          previous = record.offset();
        }
      }
      next.put(partition, first);
    }
  }

  /** The offset due next: known from the last batch, else the group's committed offset, else 0. */
  private long expectedNext(TopicPartition partition, long first) {
    Long known = next.get(partition);
    if (known != null) {
      return known;
    }
    OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
    return committed == null ? 0 : Math.min(committed.offset(), first);
  }

  private void reportIfDeleted(TopicPartition partition, long expected, long seen)
      throws Exception {
    Long logStart = consumer.beginningOffsets(List.of(partition)).get(partition);
    if (logStart == null || expected >= logStart) {
      return;
    }
    OffsetGap gap =
        new OffsetGap(
            partition.topic(),
            partition.partition(),
            expected,
            Math.min(seen, logStart) - 1,
            Instant.now());
    gaps.incrementAndGet();
    log.error(
        "{}: {} records of {} were deleted (retention or a deletion) before they were read: {} is"
            + " lost to it",
        name,
        gap.size(),
        partition,
        gap);
    onGap(gap);
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      ConsumerRecords<String, byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> partitionRecords = records.records(partition);
      offsets.put(partition, new OffsetAndMetadata(partitionRecords.getLast().offset() + 1));
    }
    return offsets;
  }

  /**
   * Seeks every partition of a failed batch back to its first record not yet applied. Polling on
   * from where the failed batch left off would let the next good batch acknowledge past it, so a
   * seek that fails is retried until it holds (or the consumer closes).
   */
  private boolean rewind(ConsumerRecords<String, byte[]> records) {
    Backoff backoff = Backoff.doubling(initialBackoff, MAX_BACKOFF);
    while (!closing) {
      try {
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition partition : records.partitions()) {
          // A partition revoked meanwhile is read by its new owner from the committed offset, which
          // never passes an unapplied record.
          if (assigned.contains(partition)) {
            consumer.seek(
                partition,
                next.getOrDefault(partition, records.records(partition).getFirst().offset()));
          }
        }
        return true;
      } catch (WakeupException e) {
        return false;
      } catch (RuntimeException e) {
        Duration pause = backoff.next();
        log.warn(
            "{}: could not seek back to the failed batch ({}); not reading on until it is, retrying"
                + " in {} ms",
            name,
            Failures.describe(e),
            pause.toMillis());
        if (!pause(pause)) {
          return false;
        }
      }
    }
    return false;
  }

  /** Waits, in short slices so that close() is not held up; false if closing or interrupted. */
  private boolean pause(Duration duration) {
    long until = System.nanoTime() + duration.toNanos();
    try {
      while (!closing) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          return true;
        }
        Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, 100));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
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
