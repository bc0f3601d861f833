package io.meshgate.runtime.metrics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One published metric value: the aggregate of a metric's points in one event-time window, for one
 * combination of dimension values (format {@code meshgate.metric}, version 1; JSON Schema in {@code
 * schema/}). A window has two parts, published as separate records with the same window: the points
 * that arrived in time ({@code late = false}), and those that arrived after the window closed
 * ({@code late = true}), so a late event is counted rather than lost.
 *
 * @param product owning product
 * @param metric metric name
 * @param dimensions dimension values, sorted by name
 * @param windowStart start of the window (inclusive)
 * @param windowEnd end of the window (exclusive)
 * @param late whether this is the late part of the window
 * @param count number of points
 * @param sum sum of the points' values, null for counting metrics
 * @param max maximum of the points' values, null for counting metrics
 */
public record WindowedMetric(
    String product,
    String metric,
    Map<String, String> dimensions,
    Instant windowStart,
    Instant windowEnd,
    boolean late,
    long count,
    @Nullable BigDecimal sum,
    @Nullable BigDecimal max) {

  /** Name of this persistent format. */
  public static final String FORMAT = "meshgate.metric";

  /** Version of this persistent format. */
  public static final int FORMAT_VERSION = 1;

  public WindowedMetric {
    dimensions = new TreeMap<>(dimensions);
  }

  /** The Kafka record key: the same for every update of one part of one window. */
  public String recordKey() {
    StringBuilder key = new StringBuilder(product).append('|').append(metric);
    dimensions.forEach((name, value) -> key.append('|').append(name).append('=').append(value));
    return key.append('@')
        .append(windowStart.toEpochMilli())
        .append(late ? "|late" : "")
        .toString();
  }

  /** The dimension values as one stable string, e.g. {@code currency=EUR,warehouse=W1}. */
  public String dimensionsKey() {
    StringBuilder key = new StringBuilder();
    dimensions.forEach(
        (name, value) ->
            key.append(key.isEmpty() ? "" : ",").append(name).append('=').append(value));
    return key.toString();
  }
}
