package io.meshgate.catalog.service;

import io.meshgate.runtime.metrics.WindowedMetric;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The GraphQL type {@code CatalogMetricWindow}: the latest window of one metric series of a
 * product.
 *
 * @param metric metric name
 * @param dimensions the series' dimension values, by name
 * @param windowStart start of the window (inclusive)
 * @param windowEnd end of the window (exclusive)
 * @param late whether these are the points that arrived after the window closed
 * @param count number of points
 * @param sum sum of the points' values as a plain decimal, null for counting metrics
 * @param max largest value as a plain decimal, null for counting metrics
 */
public record CatalogMetricWindow(
    String metric,
    List<Dimension> dimensions,
    Instant windowStart,
    Instant windowEnd,
    boolean late,
    long count,
    @Nullable String sum,
    @Nullable String max) {

  /**
   * One dimension value of a series.
   *
   * @param name dimension name
   * @param value its value in the series
   */
  public record Dimension(String name, String value) {}

  /** The window of {@code metric} as GraphQL serves it. */
  public static CatalogMetricWindow of(WindowedMetric metric) {
    List<Dimension> dimensions = new ArrayList<>();
    metric.dimensions().forEach((name, value) -> dimensions.add(new Dimension(name, value)));
    return new CatalogMetricWindow(
        metric.metric(),
        dimensions,
        metric.windowStart(),
        metric.windowEnd(),
        metric.late(),
        metric.count(),
        plain(metric.sum()),
        plain(metric.max()));
  }

  private static @Nullable String plain(@Nullable BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }
}
