package io.meshgate.product.metrics;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One change event's contribution to one metric: the dimension values it falls under and, for
 * metrics that sum a field, its value. The point's time is the Kafka record's timestamp, which is
 * the change's commit time.
 *
 * @param metric metric name
 * @param dimensions dimension values, sorted by name
 * @param value the measured value, or null when the metric only counts
 * @param eventTime commit time of the change, epoch milliseconds
 * @param late true when the point arrived after its window closed (beyond the grace period)
 */
record MetricPoint(
    String metric,
    Map<String, String> dimensions,
    @Nullable BigDecimal value,
    long eventTime,
    boolean late) {

  MetricPoint {
    dimensions = new TreeMap<>(dimensions);
  }

  /**
   * The key points of the same metric and dimension values share, e.g. {@code
   * orders|currency=EUR|warehouse=W1}.
   */
  String groupKey() {
    StringBuilder key = new StringBuilder(metric);
    dimensions.forEach(
        (name, dimensionValue) -> key.append('|').append(name).append('=').append(dimensionValue));
    return key.toString();
  }

  MetricPoint withDimension(String name, String dimensionValue) {
    Map<String, String> widened = new TreeMap<>(dimensions);
    widened.put(name, dimensionValue);
    return new MetricPoint(metric, widened, value, eventTime, late);
  }

  MetricPoint asLate() {
    return new MetricPoint(metric, dimensions, value, eventTime, true);
  }
}
