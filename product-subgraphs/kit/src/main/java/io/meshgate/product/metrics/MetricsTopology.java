package io.meshgate.product.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.MetricDefinition;
import io.meshgate.product.api.MetricDimension;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.metrics.MetricCodec;
import io.meshgate.runtime.metrics.WindowedMetric;
import io.meshgate.runtime.topics.Topics;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka Streams topology of one product's metrics. Every change event of the product becomes
 * points (per-event processing: decoding, dropping redelivered changes by their LSN, the row's
 * dimension values, enrichment by a lookup into another entity's latest state), which are
 * aggregated in tumbling event-time windows of the change's commit time with a grace period. Points
 * that arrive after their window closed are not dropped: they are aggregated apart, per window, and
 * published as the window's late part.
 *
 * <p>Every product gets two metrics without declaring them: {@value #CHANGES} (change events per
 * dataset and kind of change, the change rate) and {@value #FRESHNESS} (milliseconds from a
 * change's commit to its processing here, per dataset: how far behind its source the stream is).
 */
public final class MetricsTopology {

  /** Change events per dataset and operation. */
  public static final String CHANGES = "changes";

  /** Milliseconds between a change's commit and its processing by the stream processors. */
  public static final String FRESHNESS = "freshness_lag_ms";

  /** Dimension value of a lookup that found no row. */
  public static final String UNKNOWN = "unknown";

  private static final Logger log = LoggerFactory.getLogger(MetricsTopology.class);

  private final ProductDefinition product;
  private final ChangeEventCodec codec;
  private final MetricCodec metricCodec;
  private final long windowMillis;
  private final long graceMillis;
  private final Clock clock;
  private final Serde<MetricPoint> pointSerde = InternalSerdes.points();
  private final Serde<MetricAggregate> aggregateSerde = InternalSerdes.aggregates();

  /**
   * @param window size of the tumbling windows
   * @param grace how long after its end a window still accepts points
   * @param clock the processing-time clock freshness is measured with
   */
  public MetricsTopology(
      ProductDefinition product,
      ChangeEventCodec codec,
      MetricCodec metricCodec,
      Duration window,
      Duration grace,
      Clock clock) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("metrics window must be positive: " + window);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("metrics grace period must not be negative: " + grace);
    }
    this.product = product;
    this.codec = codec;
    this.metricCodec = metricCodec;
    this.windowMillis = window.toMillis();
    this.graceMillis = grace.toMillis();
    this.clock = clock;
  }

  /** Start of the window of size {@code windowMillis} that {@code timestamp} falls in. */
  static long windowStart(long timestamp, long windowMillis) {
    return timestamp - Math.floorMod(timestamp, windowMillis);
  }

  /**
   * Builds the topology: the product's change topics in, {@code mesh.<product>.metrics} out.
   *
   * @param config the Kafka Streams configuration it runs with (a builder without one reads an
   *     empty configuration, and Kafka Streams warns about the settings that lacks)
   */
  public Topology build(Properties config) {
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
    Map<String, KStream<String, ChangeEvent>> events = new LinkedHashMap<>();
    for (EntityDefinition entity : product.entities()) {
      String lastLsn = "last-lsn-" + entity.name();
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.inMemoryKeyValueStore(lastLsn), Serdes.String(), Serdes.Long()));
      events.put(
          entity.name(),
          builder.stream(
                  Topics.changes(product.name(), entity.name()),
                  Consumed.with(Serdes.String(), Serdes.ByteArray())
                      .withTimestampExtractor(new CommitTimeExtractor())
                      .withName("read-" + entity.name()))
              .flatMapValues(bytes -> decode(entity, bytes), Named.as("decode-" + entity.name()))
              .processValues(
                  () -> new RedeliveryFilter(lastLsn), Named.as("once-" + entity.name()), lastLsn));
    }

    List<KStream<String, MetricPoint>> points = new ArrayList<>();
    events.forEach(
        (entity, stream) ->
            points.add(stream.flatMapValues(this::builtInPoints, Named.as("measure-" + entity))));
    Map<MetricDimension.Lookup, KTable<String, String>> lookups = new LinkedHashMap<>();
    for (MetricDefinition metric : product.metrics()) {
      points.add(declaredPoints(metric, events, lookups));
    }

    KStream<String, MetricPoint> all = points.getFirst();
    for (KStream<String, MetricPoint> more : points.subList(1, points.size())) {
      all = all.merge(more);
    }
    KStream<String, MetricPoint> marked =
        all.selectKey((key, point) -> point.groupKey(), Named.as("by-metric"))
            .repartition(Repartitioned.with(Serdes.String(), pointSerde).withName("metric-points"))
            .processValues(
                () -> new LateSplitter(windowMillis, graceMillis), Named.as("mark-late"));

    Map<String, KStream<String, MetricPoint>> branches =
        marked
            .split(Named.as("points-"))
            .branch((key, point) -> !point.late(), Branched.as("on-time"))
            .defaultBranch(Branched.as("late"));

    KStream<String, WindowedMetric> onTime =
        branches
            .get("points-on-time")
            .groupByKey(Grouped.with("on-time", Serdes.String(), pointSerde))
            .windowedBy(
                TimeWindows.ofSizeAndGrace(
                    Duration.ofMillis(windowMillis), Duration.ofMillis(graceMillis)))
            .aggregate(
                MetricAggregate::empty,
                (key, point, aggregate) -> aggregate.add(point),
                Named.as("aggregate-on-time"),
                Materialized.<String, MetricAggregate, WindowStore<Bytes, byte[]>>as(
                        "on-time-windows")
                    .withKeySerde(Serdes.String())
                    .withValueSerde(aggregateSerde))
            .toStream(Named.as("on-time-updates"))
            .map(
                (Windowed<String> window, MetricAggregate aggregate) ->
                    published(window.window().start(), false, aggregate),
                Named.as("publish-on-time"));

    KStream<String, WindowedMetric> late =
        branches
            .get("points-late")
            .groupBy(
                (key, point) -> key + "@" + windowStart(point.eventTime(), windowMillis),
                Grouped.with("late-by-window", Serdes.String(), pointSerde))
            .aggregate(
                MetricAggregate::empty,
                (key, point, aggregate) -> aggregate.add(point),
                Named.as("aggregate-late"),
                Materialized.<String, MetricAggregate, KeyValueStore<Bytes, byte[]>>as(
                        "late-windows")
                    .withKeySerde(Serdes.String())
                    .withValueSerde(aggregateSerde))
            .toStream(Named.as("late-updates"))
            .map(
                (String key, MetricAggregate aggregate) ->
                    published(
                        Long.parseLong(key.substring(key.lastIndexOf('@') + 1)), true, aggregate),
                Named.as("publish-late"));

    onTime
        .merge(late, Named.as("all-metrics"))
        .mapValues(metricCodec::encode, Named.as("encode"))
        .to(
            Topics.metrics(product.name()),
            Produced.with(Serdes.String(), Serdes.ByteArray()).withName("write-metrics"));
    return builder.build();
  }

  private KeyValue<String, WindowedMetric> published(
      long windowStart, boolean late, MetricAggregate aggregate) {
    WindowedMetric metric =
        new WindowedMetric(
            product.name(),
            aggregate.metric(),
            aggregate.dimensions(),
            Instant.ofEpochMilli(windowStart),
            Instant.ofEpochMilli(windowStart + windowMillis),
            late,
            aggregate.count(),
            aggregate.sum(),
            aggregate.max());
    return KeyValue.pair(metric.recordKey(), metric);
  }

  private List<ChangeEvent> decode(EntityDefinition entity, byte @Nullable [] bytes) {
    try {
      return List.of(codec.decode(entity.eventSchema(), bytes));
    } catch (InvalidEventException e) {
      // The product's read-model consumer sends the same record to the dead-letter topic with
      // its reasons; the metrics only skip it.
      log.debug("{}: skipping invalid {} event: {}", product.name(), entity.name(), e.reasons());
      return List.of();
    }
  }

  private List<MetricPoint> builtInPoints(ChangeEvent event) {
    long eventTime = event.source().commitTime().toEpochMilli();
    return List.of(
        new MetricPoint(
            CHANGES,
            Map.of("dataset", event.entity(), "op", event.op().code()),
            null,
            eventTime,
            false),
        new MetricPoint(
            FRESHNESS,
            Map.of("dataset", event.entity()),
            BigDecimal.valueOf(Math.max(0, clock.millis() - eventTime)),
            eventTime,
            false));
  }

  private KStream<String, MetricPoint> declaredPoints(
      MetricDefinition metric,
      Map<String, KStream<String, ChangeEvent>> events,
      Map<MetricDimension.Lookup, KTable<String, String>> lookups) {
    KStream<String, MetricPoint> points =
        Objects.requireNonNull(events.get(metric.entity()))
            .flatMapValues(event -> pointOf(metric, event), Named.as("measure-" + metric.name()));
    MetricDimension enriched = metric.lookupDimension();
    if (enriched == null) {
      return points;
    }
    MetricDimension.Lookup lookup = Objects.requireNonNull(enriched.lookup());
    KTable<String, String> table =
        lookups.computeIfAbsent(
            lookup,
            l ->
                Objects.requireNonNull(events.get(l.entity()))
                    .mapValues(
                        event -> event.after() == null ? null : text(event.after().get(l.field())),
                        Named.as("lookup-" + l.entity() + "-" + l.field()))
                    .toTable(
                        Named.as("latest-" + l.entity() + "-" + l.field()),
                        Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(
                                "latest-" + l.entity() + "-" + l.field())
                            .withKeySerde(Serdes.String())
                            .withValueSerde(Serdes.String())));
    String dimension = enriched.name();
    return points
        .selectKey(
            (key, point) -> point.dimensions().get(dimension),
            Named.as("by-" + metric.name() + "-" + dimension))
        .leftJoin(
            table,
            (point, value) -> point.withDimension(dimension, value == null ? UNKNOWN : value),
            Joined.with(Serdes.String(), pointSerde, Serdes.String(), "enrich-" + metric.name()));
  }

  private static List<MetricPoint> pointOf(MetricDefinition metric, ChangeEvent event) {
    if (!metric.ops().contains(event.op())) {
      return List.of();
    }
    ObjectNode row = event.after() != null ? event.after() : event.before();
    if (row == null) {
      return List.of();
    }
    Map<String, String> dimensions = new TreeMap<>();
    for (MetricDimension dimension : metric.dimensions()) {
      String value = text(row.get(dimension.field()));
      dimensions.put(dimension.name(), value == null ? UNKNOWN : value);
    }
    BigDecimal value = null;
    if (metric.valueField() != null) {
      String text = text(row.get(metric.valueField()));
      if (text == null) {
        return List.of();
      }
      try {
        value = new BigDecimal(text);
      } catch (NumberFormatException e) {
        log.debug("{}: {} is not a decimal in {}", metric.name(), metric.valueField(), event.key());
        return List.of();
      }
    }
    return List.of(
        new MetricPoint(
            metric.name(), dimensions, value, event.source().commitTime().toEpochMilli(), false));
  }

  private static @Nullable String text(@Nullable JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
