package io.meshgate.catalog.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A field-level lineage edge: the value of {@code to} is made from the value of {@code from}.
 *
 * @param from upstream field node id
 * @param to downstream field node id
 * @param kind how the value travels
 * @param transformation how {@code to} is computed from {@code from}, in words or an expression
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LineageEdge(String from, String to, Kind kind, String transformation) {

  public LineageEdge {
    requireField(from, "from");
    requireField(to, "to");
    transformation = transformation == null ? "" : transformation;
  }

  private static void requireField(String id, String end) {
    if (!NodeId.parse(id).isField()) {
      throw new IllegalArgumentException(
          "lineage edge '" + end + "' must be a field id (<dataset id>#<field>): " + id);
    }
  }

  /** An edge without a described transformation. */
  public static LineageEdge of(String from, String to, Kind kind) {
    return new LineageEdge(from, to, kind, "");
  }

  /** How a value travels along an edge. */
  public enum Kind {
    /** Value unchanged. */
    COPY,
    /** Change data capture into a topic. */
    CAPTURE,
    /** Consumed from a topic into a read model. */
    PROJECTION,
    /** Computed from the source value. */
    DERIVATION,
    /** Summarised over many rows. */
    AGGREGATION,
    /** Served by an API. */
    EXPOSURE
  }
}
