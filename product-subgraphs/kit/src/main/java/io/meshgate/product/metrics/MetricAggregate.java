package io.meshgate.product.metrics;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The running aggregate of one metric, for one combination of dimension values, in one window: how
 * many points, and the sum and maximum of their values (null while no point carried one).
 */
record MetricAggregate(
    String metric,
    Map<String, String> dimensions,
    long count,
    @Nullable BigDecimal sum,
    @Nullable BigDecimal max) {

  MetricAggregate {
    dimensions = new TreeMap<>(dimensions);
  }

  static MetricAggregate empty() {
    return new MetricAggregate("", Map.of(), 0, null, null);
  }

  MetricAggregate add(MetricPoint point) {
    BigDecimal value = point.value();
    if (value == null) {
      return new MetricAggregate(point.metric(), point.dimensions(), count + 1, sum, max);
    }
    return new MetricAggregate(
        point.metric(),
        point.dimensions(),
        count + 1,
        sum == null ? value : sum.add(value),
        max == null || value.compareTo(max) > 0 ? value : max);
  }
}
