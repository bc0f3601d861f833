package io.meshgate.product.api;

import io.meshgate.runtime.events.ChangeOp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A windowed metric a product computes from its own change events: for every event of {@code
 * entity} with one of {@code ops}, one count (and, with a {@code valueField}, the sum and maximum
 * of that decimal field) per time window of the event's commit time and per combination of
 * dimension values. The stream processors publish the results to {@code mesh.<product>.metrics}.
 *
 * @param name metric name, e.g. {@code orders}
 * @param description what the metric measures, for people reading the catalog
 * @param entity the entity whose change events are measured
 * @param ops the kinds of change that count
 * @param dimensions how values are grouped, in order
 * @param valueField the field of the row (after the change) summed per window, or null to count
 *     only
 */
public record MetricDefinition(
    String name,
    String description,
    String entity,
    Set<ChangeOp> ops,
    List<MetricDimension> dimensions,
    @Nullable String valueField) {

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*$");

  public MetricDefinition {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("metric name must match " + NAME + ": " + name);
    }
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("metric " + name + " counts no kind of change");
    }
    ops = Set.copyOf(ops);
    dimensions = List.copyOf(dimensions);
    Set<String> names = new HashSet<>();
    for (MetricDimension dimension : dimensions) {
      if (!names.add(dimension.name())) {
        throw new IllegalArgumentException(
            "metric " + name + " declares dimension " + dimension.name() + " twice");
      }
    }
    if (dimensions.stream().filter(d -> d.lookup() != null).count() > 1) {
      throw new IllegalArgumentException(
          "metric " + name + " may enrich at most one dimension by lookup");
    }
  }

  /** The dimension enriched from another entity's rows, if any. */
  public @Nullable MetricDimension lookupDimension() {
    return dimensions.stream().filter(d -> d.lookup() != null).findFirst().orElse(null);
  }
}
