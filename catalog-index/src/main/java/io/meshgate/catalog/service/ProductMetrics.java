package io.meshgate.catalog.service;

import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.metrics.MetricCodec;
import io.meshgate.runtime.metrics.WindowedMetric;
import io.meshgate.runtime.topics.EventSchemas;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The latest window of each metric series of each product, kept in memory from the products' {@code
 * mesh.<product>.metrics} topics (format {@code meshgate.metric} v1, checked against its schema). A
 * series is one metric with one combination of dimension values; the late part of a window is a
 * series of its own, so a late event shows rather than overwriting the in-time count.
 */
public final class ProductMetrics {

  private static final Pattern TOPIC = Pattern.compile("mesh\\.[a-z][a-z0-9]*\\.metrics");

  private final MetricCodec codec = new MetricCodec(new EventSchemas());
  private final Map<String, Map<String, WindowedMetric>> latest = new ConcurrentHashMap<>();

  /** True for a product's metrics topic, {@code mesh.<product>.metrics}. */
  public static boolean isMetricsTopic(String topic) {
    return TOPIC.matcher(topic).matches();
  }

  /**
   * Takes one published metric: it replaces its series' window unless it is of an older window (a
   * redelivery).
   *
   * @throws InvalidEventException naming every problem when the value is not a metric
   */
  public void accept(byte @Nullable [] value) throws InvalidEventException {
    WindowedMetric metric = codec.decode(value);
    String series = metric.metric() + '|' + metric.dimensions() + (metric.late() ? "|late" : "");
    latest
        .computeIfAbsent(metric.product(), product -> new ConcurrentSkipListMap<>())
        .merge(
            series,
            metric,
            (old, fresh) -> fresh.windowStart().isBefore(old.windowStart()) ? old : fresh);
  }

  /** The latest window of each series of {@code product}, ordered by metric and dimensions. */
  public List<WindowedMetric> of(String product) {
    Map<String, WindowedMetric> series = latest.get(product);
    return series == null ? List.of() : List.copyOf(series.values());
  }
}
