package io.meshgate.catalog.service;

import io.meshgate.catalog.Catalog;
import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.index.CatalogRecord;
import io.meshgate.catalog.index.RebuildProgress;
import io.meshgate.catalog.model.CatalogCodec;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.InvalidCatalogEntryException;
import io.meshgate.catalog.service.AuditHead.InvalidAuditHeadException;
import io.meshgate.runtime.deadletter.DeadLetter;
import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.retry.Backoff;
import io.meshgate.runtime.topics.KafkaTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the catalog index equal to the compacted {@code mesh.catalog} topic, and the products'
 * audit heads equal to {@code mesh.audit.heads}.
 *
 * <p>It uses no consumer group: the position in {@code mesh.catalog} is the one stored in the
 * index's own Lucene commit ({@link CatalogIndex#committedOffsets()}), so index and position are
 * durable together and a restart resumes exactly where the index stands. It assigns itself every
 * partition and seeks there; an empty index is rebuilt in bulk up to the topic's end (progress
 * logged about once a second), a non-empty one catches up record by record. Each batch is visible
 * to searches right after it is applied (near-real-time refresh) and durable at the next commit,
 * every {@code meshgate.catalog.commit-interval} and on stop. A record that is not a valid entry
 * goes to {@value #DEAD_LETTER_TOPIC} with its problems and is skipped. Audit heads are read from
 * the beginning on every start and kept in memory, and so is the latest window of each metric
 * series of every {@code mesh.<product>.metrics} topic (the last hour is read on start, new topics
 * are looked for every {@code meshgate.catalog.metrics-discovery-interval}). When anything fails
 * (Kafka, the index), it starts over from the index's last commit after a growing pause, so nothing
 * is skipped.
 */
public final class CatalogConsumer implements SmartLifecycle {

  /** The enterprise catalog topic (compacted, key = dataset id). */
  public static final String TOPIC = "mesh.catalog";

  /** Where records of {@value #TOPIC} that are not valid catalog entries go. */
  public static final String DEAD_LETTER_TOPIC = "mesh.catalog.deadletter";

  private static final Logger log = LoggerFactory.getLogger(CatalogConsumer.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /**
   * How far back a newly found metrics topic is read: enough for the latest window of quiet series.
   */
  private static final Duration METRICS_LOOKBACK = Duration.ofHours(1);

  private final Catalog catalog;
  private final AuditHeads auditHeads;
  private final ProductMetrics metrics;
  private final CatalogServiceProperties properties;
  private final CatalogCodec codec = new CatalogCodec();
  private final AtomicLong catalogRecords = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile Map<Integer, Long> startOffsets = Map.of();
  private volatile boolean closing;
  private volatile boolean running;
  private @Nullable KafkaConsumer<String, byte[]> consumer;
  private @Nullable KafkaProducer<String, byte[]> producer;
  private @Nullable Thread thread;

  public CatalogConsumer(
      Catalog catalog,
      AuditHeads auditHeads,
      ProductMetrics metrics,
      CatalogServiceProperties properties) {
    this.catalog = catalog;
    this.auditHeads = auditHeads;
    this.metrics = metrics;
    this.properties = properties;
  }

  /**
   * Creates the topics it reads and writes when missing, then starts consuming in the background.
   */
  @Override
  public synchronized void start() {
    String servers = properties.kafkaBootstrapServers();
    int partitions = properties.topicPartitions();
    short replication = properties.topicReplicationFactor();
    Map<String, String> compacted = Map.of("cleanup.policy", "compact");
    KafkaTopics.ensure(
        servers, List.of(TOPIC, AuditHeads.TOPIC), partitions, replication, compacted);
    KafkaTopics.ensure(servers, List.of(DEAD_LETTER_TOPIC), partitions, replication);
    consumer =
        new KafkaConsumer<>(
            consumerProperties(servers), new StringDeserializer(), new ByteArrayDeserializer());
    producer =
        new KafkaProducer<>(
            producerProperties(servers), new StringSerializer(), new ByteArraySerializer());
    closing = false;
    Thread worker =
        Thread.ofPlatform().name("meshgate-catalog-consumer").daemon(true).unstarted(this::run);
    thread = worker;
    running = true;
    worker.start();
  }

  /** Stops consuming and commits what was applied. */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    closing = true;
    KafkaConsumer<String, byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    Thread worker = thread;
    if (worker != null) {
      try {
        worker.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Where this run started in {@value #TOPIC}: the offsets stored in the index, per partition. */
  public Map<Integer, Long> startOffsets() {
    return startOffsets;
  }

  /** {@value #TOPIC} records read since start, valid or not. */
  public long catalogRecordsSinceStart() {
    return catalogRecords.get();
  }

  /** Records sent to {@value #DEAD_LETTER_TOPIC} since start. */
  public long deadLettersSinceStart() {
    return deadLetters.get();
  }

  /** Waits until the index has caught up with the end the topic had when consumption started. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    KafkaConsumer<String, byte[]> kafka = requireNonNullState(consumer);
    Backoff backoff = Backoff.doubling(POLL, MAX_BACKOFF);
    try {
      while (!closing) {
        try {
          consumeFromTheIndexPosition(kafka);
        } catch (WakeupException e) {
          return;
        } catch (Exception e) {
          if (closing) {
            return;
          }
          // start over from the last durable commit: re-applying a record is harmless, skipping one
          // is not
          Duration pause = backoff.next();
          log.warn(
              "Catalog consumer failed ({}); resuming from the index's last commit in {} ms",
              e.getMessage(),
              pause.toMillis(),
              e);
          Thread.sleep(pause);
          catalog.index().rewindToCommitted();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(kafka, catalog.index());
    }
  }

  /** Seeks to the offsets stored in the index, catches up (or rebuilds), then follows the topic. */
  private void consumeFromTheIndexPosition(KafkaConsumer<String, byte[]> kafka) throws Exception {
    CatalogIndex index = catalog.index();
    List<TopicPartition> catalogPartitions = partitionsOf(kafka, TOPIC);
    List<TopicPartition> headPartitions = partitionsOf(kafka, AuditHeads.TOPIC);
    List<TopicPartition> all = new ArrayList<>(catalogPartitions);
    all.addAll(headPartitions);
    List<TopicPartition> metricPartitions = metricPartitions(kafka, Set.of());
    all.addAll(metricPartitions);
    kafka.assign(all);
    kafka.seekToBeginning(headPartitions);
    seekToRecentMetrics(kafka, metricPartitions);
    Map<Integer, Long> stored = index.committedOffsets();
    startOffsets = stored;
    seekTo(kafka, catalogPartitions, stored);
    Map<TopicPartition, Long> end = kafka.endOffsets(catalogPartitions);
    long expected = remaining(kafka, end);
    if (stored.isEmpty()) {
      log.info("Catalog index is empty: rebuilding it from {} ({} records)", TOPIC, expected);
      index.rebuild(untilEnd(kafka, end), expected, CatalogConsumer::logRebuild);
    } else {
      catchUp(kafka, end, expected);
    }
    if (!closing) {
      caughtUp.countDown();
    }
    follow(kafka);
  }

  private void catchUp(
      KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> end, long expected)
      throws Exception {
    long start = System.nanoTime();
    long lastReport = start;
    long lastCommit = start;
    long applied = 0;
    log.info(
        "Catalog index resumes {} at offsets {}: {} records to catch up",
        TOPIC,
        startOffsets,
        expected);
    while (!closing && !reached(kafka, end)) {
      applied += applyBatch(kafka.poll(POLL));
      long now = System.nanoTime();
      if (now - lastReport >= PROGRESS_INTERVAL.toNanos()) {
        lastReport = now;
        logRebuild(new RebuildProgress(applied, expected, Duration.ofNanos(now - start), false));
      }
      if (now - lastCommit >= properties.catalog().commitInterval().toNanos()) {
        lastCommit = now;
        catalog.index().commit();
      }
    }
    catalog.index().commit();
    logRebuild(
        new RebuildProgress(applied, expected, Duration.ofNanos(System.nanoTime() - start), true));
  }

  private void follow(KafkaConsumer<String, byte[]> kafka) throws Exception {
    CatalogIndex index = catalog.index();
    long lastCommit = System.nanoTime();
    long lastDiscovery = System.nanoTime();
    while (!closing) {
      applyBatch(kafka.poll(POLL));
      if (System.nanoTime() - lastDiscovery
          >= properties.catalog().metricsDiscoveryInterval().toNanos()) {
        lastDiscovery = System.nanoTime();
        followNewMetricsTopics(kafka);
      }
      if (System.nanoTime() - lastCommit >= properties.catalog().commitInterval().toNanos()) {
        lastCommit = System.nanoTime();
        if (!index.appliedOffsets().equals(index.committedOffsets())) {
          index.commit();
        }
      }
    }
  }

  /** Applies one poll and refreshes searches; returns the number of catalog records read. */
  private int applyBatch(ConsumerRecords<String, byte[]> records)
      throws IOException, ExecutionException, InterruptedException {
    if (records.isEmpty()) {
      return 0;
    }
    List<CatalogRecord> valid = accept(records);
    catalog.index().applyAll(valid);
    catalog.index().refresh();
    return records.count();
  }

  /**
   * Takes audit heads into memory, sends invalid catalog records to the dead-letter topic (and
   * moves the index past them) and returns the valid ones in order.
   */
  private List<CatalogRecord> accept(ConsumerRecords<String, byte[]> records)
      throws ExecutionException, InterruptedException {
    List<CatalogRecord> valid = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.topic().equals(AuditHeads.TOPIC)) {
        acceptHead(record);
        continue;
      }
      if (ProductMetrics.isMetricsTopic(record.topic())) {
        acceptMetric(record);
        continue;
      }
      catalogRecords.incrementAndGet();
      try {
        valid.add(decode(record));
      } catch (InvalidCatalogEntryException e) {
        deadLetter(record, e.problems());
        catalog.index().skip(record.partition(), record.offset());
      }
    }
    return valid;
  }

  private CatalogRecord decode(ConsumerRecord<String, byte[]> record)
      throws InvalidCatalogEntryException {
    String key = record.key();
    if (key == null) {
      throw new InvalidCatalogEntryException(List.of("key: missing, expected the dataset id"));
    }
    CatalogEntry entry = codec.decode(key, record.value());
    return new CatalogRecord(key, entry, record.partition(), record.offset());
  }

  private void acceptHead(ConsumerRecord<String, byte[]> record) {
    try {
      auditHeads.accept(record.key(), record.value());
    } catch (InvalidAuditHeadException e) {
      log.warn(
          "Refusing {} record {}/{} (key {}); the product's previous head stays shown: {}",
          AuditHeads.TOPIC,
          record.partition(),
          record.offset(),
          record.key(),
          e.getMessage());
    }
  }

  private void acceptMetric(ConsumerRecord<String, byte[]> record) {
    try {
      metrics.accept(record.value());
    } catch (InvalidEventException e) {
      log.warn(
          "Ignoring {} record {}/{} (key {}): {}",
          record.topic(),
          record.partition(),
          record.offset(),
          record.key(),
          e.reasons());
    }
  }

  /**
   * Adds metrics topics created since the last look to the assignment, read from a recent point.
   */
  private void followNewMetricsTopics(KafkaConsumer<String, byte[]> kafka) {
    List<TopicPartition> added = metricPartitions(kafka, kafka.assignment());
    if (added.isEmpty()) {
      return;
    }
    List<TopicPartition> all = new ArrayList<>(kafka.assignment());
    all.addAll(added);
    // partitions kept in the assignment keep their positions
    kafka.assign(all);
    seekToRecentMetrics(kafka, added);
    log.info("Catalog follows product metrics of {}", added);
  }

  /** Partitions of every {@code mesh.<product>.metrics} topic not in {@code known}. */
  private static List<TopicPartition> metricPartitions(
      KafkaConsumer<String, byte[]> kafka, Set<TopicPartition> known) {
    List<TopicPartition> found = new ArrayList<>();
    kafka
        .listTopics(Duration.ofSeconds(10))
        .forEach(
            (topic, infos) -> {
              if (ProductMetrics.isMetricsTopic(topic)) {
                for (PartitionInfo info : infos) {
                  TopicPartition partition = new TopicPartition(topic, info.partition());
                  if (!known.contains(partition)) {
                    found.add(partition);
                  }
                }
              }
            });
    return found;
  }

  private static void seekToRecentMetrics(
      KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    long since = Instant.now().minus(METRICS_LOOKBACK).toEpochMilli();
    Map<TopicPartition, Long> times = new HashMap<>();
    partitions.forEach(partition -> times.put(partition, since));
    Map<TopicPartition, OffsetAndTimestamp> offsets = kafka.offsetsForTimes(times);
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = offsets.get(partition);
      if (offset == null) {
        kafka.seekToEnd(List.of(partition));
      } else {
        kafka.seek(partition, offset.offset());
      }
    }
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, List<String> problems)
      throws ExecutionException, InterruptedException {
    String origin = record.topic() + "/" + record.partition() + "/" + record.offset();
    log.warn(
        "{} record {} (key {}) is not a valid catalog entry, sent to {}: {}",
        TOPIC,
        origin,
        record.key(),
        DEAD_LETTER_TOPIC,
        problems);
    byte[] value = record.value();
    DeadLetter letter =
        new DeadLetter(
            "catalog",
            "catalog-index",
            problems,
            origin,
            record.key(),
            value == null ? null : new String(value, StandardCharsets.UTF_8),
            Instant.now());
    // synchronous: the record is skipped only once its dead letter is safe
    requireNonNullState(producer)
        .send(new ProducerRecord<>(DEAD_LETTER_TOPIC, record.key(), letter.encode()))
        .get();
    deadLetters.incrementAndGet();
  }

  /** The topic from the consumer's position up to {@code end}, as records for a rebuild. */
  private Iterable<CatalogRecord> untilEnd(
      KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> end) {
    return () ->
        new Iterator<>() {
          private final Deque<CatalogRecord> buffered = new ArrayDeque<>();

          @Override
          public boolean hasNext() {
            while (buffered.isEmpty()) {
              if (closing || reached(kafka, end)) {
                return false;
              }
              try {
                buffered.addAll(accept(kafka.poll(POLL)));
              } catch (ExecutionException e) {
                throw new IllegalStateException(
                    "could not send a dead letter: " + e.getCause().getMessage(), e);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
              }
            }
            return true;
          }

          @Override
          public CatalogRecord next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return buffered.removeFirst();
          }
        };
  }

  private static boolean reached(
      KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      if (kafka.position(partition.getKey()) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static long remaining(
      KafkaConsumer<String, byte[]> kafka, Map<TopicPartition, Long> end) {
    long total = 0;
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      total += Math.max(0, partition.getValue() - kafka.position(partition.getKey()));
    }
    return total;
  }

  private static void seekTo(
      KafkaConsumer<String, byte[]> kafka,
      List<TopicPartition> partitions,
      Map<Integer, Long> offsets) {
    for (TopicPartition partition : partitions) {
      Long next = offsets.get(partition.partition());
      if (next == null) {
        kafka.seekToBeginning(List.of(partition));
      } else {
        kafka.seek(partition, next);
      }
    }
  }

  private static List<TopicPartition> partitionsOf(
      KafkaConsumer<String, byte[]> kafka, String topic) {
    List<PartitionInfo> infos = kafka.partitionsFor(topic, Duration.ofSeconds(30));
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : infos) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    Collections.sort(partitions, (a, b) -> Integer.compare(a.partition(), b.partition()));
    return partitions;
  }

  private static void logRebuild(RebuildProgress progress) {
    String fraction =
        progress.fraction() < 0 ? "?" : String.format("%.1f%%", progress.fraction() * 100);
    log.info(
        "Catalog index {}: {} of {} records ({}), {} records/s",
        progress.done() ? "caught up" : "catching up",
        progress.records(),
        progress.expectedRecords(),
        fraction,
        Math.round(progress.recordsPerSecond()));
  }

  private void closeQuietly(KafkaConsumer<String, byte[]> kafka, CatalogIndex index) {
    try {
      index.commit();
      Map<Integer, Long> committed = new TreeMap<>(index.committedOffsets());
      log.info("Catalog index committed at offsets {}", committed);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "Final catalog index commit failed; the next start replays from the previous commit", e);
    }
    kafka.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    KafkaProducer<String, byte[]> current = producer;
    if (current != null) {
      current.close(Duration.ofSeconds(5));
    }
  }

  private static <T> T requireNonNullState(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("catalog consumer not started");
    }
    return value;
  }

  private static Properties consumerProperties(String servers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "meshgate-catalog-index");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a stored offset the log no longer has: reading too much again is harmless, skipping is not
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return props;
  }

  private static Properties producerProperties(String servers) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "meshgate-catalog-deadletter");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }
}
