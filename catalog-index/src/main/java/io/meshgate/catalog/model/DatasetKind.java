package io.meshgate.catalog.model;

import java.util.Arrays;
import java.util.Locale;

/** What a dataset is; each kind has the short segment it takes in dataset and node ids. */
public enum DatasetKind {
  /** A relational table (operational or read model). */
  TABLE("table"),
  /** A relational view. */
  VIEW("view"),
  /** A Kafka topic. */
  TOPIC("topic"),
  /** A GraphQL object type served by a subgraph. */
  GRAPHQL_TYPE("graphql"),
  /** A metric series computed by a stream processor. */
  METRIC("metric"),
  /** A file or object-store dataset. */
  FILE("file");

  private final String segment;

  DatasetKind(String segment) {
    this.segment = segment;
  }

  /** The id segment, e.g. {@code graphql} for {@link #GRAPHQL_TYPE}. */
  public String segment() {
    return segment;
  }

  /**
   * The kind whose id segment is {@code segment}.
   *
   * @throws IllegalArgumentException naming the known segments when there is none
   */
  public static DatasetKind ofSegment(String segment) {
    for (DatasetKind kind : values()) {
      if (kind.segment.equals(segment)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown dataset kind segment '"
            + segment
            + "', expected one of "
            + Arrays.stream(values()).map(k -> k.segment).toList());
  }

  /** The kind's name in lower case with spaces, for people ("graphql type"). */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
