package io.meshgate.product.api;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One dimension of a {@link MetricDefinition}: the value of {@code field} in the changed row, or,
 * with a {@code lookup}, the value of a field of the row that {@code field} refers to (per-event
 * enrichment, e.g. an order's warehouse id resolved to the warehouse's code).
 *
 * @param name dimension name in the published metric
 * @param field field of the changed row
 * @param lookup where to resolve the field's value, or null to use it as it is
 */
public record MetricDimension(String name, String field, @Nullable Lookup lookup) {

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*$");

  public MetricDimension {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("dimension name must match " + NAME + ": " + name);
    }
  }

  /** A dimension taken from the changed row as it is. */
  public static MetricDimension of(String name, String field) {
    return new MetricDimension(name, field, null);
  }

  /** A dimension resolved through the entity {@code entity}: its row keyed by the field's value. */
  public static MetricDimension lookup(
      String name, String field, String entity, String entityField) {
    return new MetricDimension(name, field, new Lookup(entity, entityField));
  }

  /**
   * Resolves a reference to the latest state of another entity of the same product.
   *
   * @param entity the referenced entity (single-column key)
   * @param field the field of the referenced row used as the dimension value
   */
  public record Lookup(String entity, String field) {}
}
