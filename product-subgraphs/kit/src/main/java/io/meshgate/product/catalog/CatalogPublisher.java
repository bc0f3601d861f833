package io.meshgate.product.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.config.MeshProperties;
import io.meshgate.product.metrics.MetricsStore;
import io.meshgate.product.metrics.MetricsTopology;
import io.meshgate.runtime.topics.EventSchemas;
import io.meshgate.runtime.topics.KafkaTopics;
import io.meshgate.runtime.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Publishes the product's catalog to the compacted topic {@code mesh.catalog} (key = dataset id):
 * on start, then on a schedule, each dataset whose entry changed (schema, description, metrics),
 * and a tombstone for each dataset the product no longer has. What was published before is read
 * back from the topic itself, so schema versions and their history survive restarts.
 */
public final class CatalogPublisher implements SmartLifecycle {

  /** The enterprise catalog topic. */
  public static final String TOPIC = "mesh.catalog";

  private static final Logger log = LoggerFactory.getLogger(CatalogPublisher.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProductDefinition product;
  private final MeshProperties properties;
  private final CatalogBuilder builder;
  private final EventSchemas schemas;
  private final DSLContext dsl;
  private final MetricsStore metrics;
  private final Duration interval;
  private final Clock clock;
  private final Map<String, JsonNode> published = new LinkedHashMap<>();

  /**
   * The datasets as derived from the contracts and the live schema: fixed while the product runs
   * (its migrations ran before it started), so derived once; each publication copies them and adds
   * the current metrics.
   */
  private @Nullable Map<String, ObjectNode> datasets;

  private @Nullable KafkaProducer<String, byte[]> producer;
  private @Nullable ScheduledExecutorService scheduler;
  private volatile long publications;

  public CatalogPublisher(
      ProductDefinition product,
      MeshProperties properties,
      CatalogBuilder builder,
      EventSchemas schemas,
      DSLContext dsl,
      MetricsStore metrics,
      Duration interval,
      Clock clock) {
    this.product = product;
    this.properties = properties;
    this.builder = builder;
    this.schemas = schemas;
    this.dsl = dsl;
    this.metrics = metrics;
    this.interval = interval;
    this.clock = clock;
  }

  @Override
  public synchronized void start() {
    if (producer != null) {
      return;
    }
    KafkaTopics.ensure(
        properties.kafkaBootstrapServers(),
        List.of(TOPIC),
        properties.topicPartitions(),
        properties.topicReplicationFactor(),
        Map.of("cleanup.policy", "compact"));
    published.putAll(readPublished());
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.kafkaBootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, product.name() + ".catalog");
    producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    publish();
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform()
                .name("meshgate-" + product.name() + "-catalog")
                .daemon(true)
                .factory());
    started.scheduleWithFixedDelay(
        this::publishQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = started;
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return producer != null;
  }

  /** Catalog records (entries and tombstones) sent since start. */
  public long publications() {
    return publications;
  }

  private void publishQuietly() {
    try {
      publish();
    } catch (RuntimeException e) {
      log.warn(
          "{} could not publish its catalog ({}); retrying in {}",
          product.name(),
          e.getMessage(),
          interval);
    }
  }

  /**
   * Publishes every entry that changed since the last publication, and tombstones for removed
   * datasets.
   */
  public synchronized void publish() {
    KafkaProducer<String, byte[]> current = producer;
    if (current == null) {
      throw new IllegalStateException("catalog publisher is not started");
    }
    Instant now = clock.instant();
    if (datasets == null) {
      datasets = builder.build();
    }
    Map<String, ObjectNode> entries = new LinkedHashMap<>();
    datasets.forEach((id, entry) -> entries.put(id, entry.deepCopy()));
    attachMetrics(entries, now);
    int sent = 0;
    for (Map.Entry<String, ObjectNode> e : entries.entrySet()) {
      ObjectNode entry = SchemaHistory.evolve(published.get(e.getKey()), e.getValue(), now);
      if (sameContent(published.get(e.getKey()), entry)) {
        continue;
      }
      entry.put("updatedAt", now.toString());
      List<String> violations = schemas.violations(CatalogBuilder.ENTRY_SCHEMA, entry);
      if (!violations.isEmpty()) {
        throw new IllegalStateException(
            "catalog entry " + e.getKey() + " breaks its contract: " + violations);
      }
      current.send(
          new ProducerRecord<>(
              TOPIC, e.getKey(), entry.toString().getBytes(StandardCharsets.UTF_8)));
      published.put(e.getKey(), entry);
      sent++;
    }
    for (String gone : List.copyOf(published.keySet())) {
      if (!entries.containsKey(gone)) {
        current.send(new ProducerRecord<>(TOPIC, gone, null));
        published.remove(gone);
        sent++;
      }
    }
    current.flush();
    publications += sent;
    if (sent > 0) {
      log.info("{} published {} catalog record(s) to {}", product.name(), sent, TOPIC);
    }
  }

  /** Equal apart from when it was published and when its metrics were observed. */
  private static boolean sameContent(@Nullable JsonNode previous, ObjectNode next) {
    if (previous == null) {
      return false;
    }
    ObjectNode a = previous.deepCopy();
    ObjectNode b = next.deepCopy();
    for (ObjectNode node : List.of(a, b)) {
      node.remove("updatedAt");
      if (node.get("metrics") instanceof ObjectNode m) {
        m.remove("observedAt");
      }
    }
    return a.equals(b);
  }

  private void attachMetrics(Map<String, ObjectNode> entries, Instant now) {
    Map<String, MetricsStore.MetricRow> changes = latestPerDataset(MetricsTopology.CHANGES, now);
    Map<String, MetricsStore.MetricRow> freshness =
        latestPerDataset(MetricsTopology.FRESHNESS, now);
    long windowMillis = properties.metrics().window().toMillis();
    for (EntityDefinition entity : product.entities()) {
      MetricsStore.MetricRow changed = changes.get(entity.name());
      MetricsStore.MetricRow fresh = freshness.get(entity.name());
      for (String id :
          List.of(
              CatalogNodes.table(product.name(), entity.table()),
              CatalogNodes.topic(product.name(), Topics.changes(product.name(), entity.name())))) {
        ObjectNode entry = entries.get(id);
        if (entry == null) {
          continue;
        }
        ObjectNode m = entry.putObject("metrics");
        if (id.contains("/table/")) {
          m.put("rowCount", rowCount(entity.table()));
        }
        m.put(
            "changesPerMinute",
            changed == null
                ? 0.0
                : round((changed.count() + changed.lateCount()) * 60_000.0 / windowMillis));
        if (fresh != null && fresh.sum() != null && fresh.count() > 0) {
          m.put("freshnessSeconds", round(fresh.sum().doubleValue() / fresh.count() / 1000.0));
        }
        m.put("observedAt", now.toString());
      }
    }
    entries.forEach(
        (id, entry) -> {
          if (id.contains("/table/") && !entry.has("metrics")) {
            entry
                .putObject("metrics")
                .put("rowCount", rowCount(entry.get("name").asText()))
                .put("observedAt", now.toString());
          }
        });
  }

  /**
   * Per dataset, the last complete window of a built-in metric (changes are summed over kinds of
   * change).
   */
  private Map<String, MetricsStore.MetricRow> latestPerDataset(String metric, Instant now) {
    Map<String, MetricsStore.MetricRow> latest = new HashMap<>();
    Duration window = properties.metrics().window();
    for (MetricsStore.MetricRow row :
        metrics.since(now.minus(window.multipliedBy(3)), metric, 1000)) {
      if (row.windowEnd().isAfter(now)) {
        continue;
      }
      String dataset = row.dimensions().get("dataset");
      MetricsStore.MetricRow seen = latest.get(dataset);
      if (seen == null || row.windowStart().isAfter(seen.windowStart())) {
        latest.put(dataset, row);
      } else if (row.windowStart().equals(seen.windowStart())) {
        latest.put(
            dataset,
            new MetricsStore.MetricRow(
                metric,
                Map.of("dataset", dataset),
                row.windowStart(),
                row.windowEnd(),
                seen.count() + row.count(),
                seen.sum(),
                seen.max(),
                seen.lateCount() + row.lateCount(),
                seen.lateSum()));
      }
    }
    return latest;
  }

  private long rowCount(String qualifiedTable) {
    int dot = qualifiedTable.indexOf('.');
    return dsl.fetchCount(
        DSL.table(DSL.name(qualifiedTable.substring(0, dot), qualifiedTable.substring(dot + 1))));
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }

  /** The product's entries currently on the topic (tombstoned datasets are absent). */
  private Map<String, JsonNode> readPublished() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.kafkaBootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, JsonNode> found = new LinkedHashMap<>();
    String prefix = product.name() + "/";
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(TOPIC, Duration.ofSeconds(15)).stream()
              .map(p -> new TopicPartition(TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(15));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + TOPIC + " to its end within 60 s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key() == null || !record.key().startsWith(prefix)) {
            continue;
          }
          if (record.value() == null) {
            found.remove(record.key());
          } else {
            try {
              found.put(
                  record.key(), JSON.readTree(new String(record.value(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
              log.warn(
                  "{}: unreadable catalog record {} ignored; it will be replaced",
                  product.name(),
                  record.key());
            }
          }
        }
      }
    }
    return found;
  }
}
