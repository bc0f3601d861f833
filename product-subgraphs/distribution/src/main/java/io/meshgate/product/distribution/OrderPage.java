package io.meshgate.product.distribution;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** An {@code OrderConnection}: one page of orders ordered by id. */
public record OrderPage(List<Edge> edges, PageInfo pageInfo, int totalCount) {

  /** One order with its cursor. */
  public record Edge(String cursor, Order node) {}

  /** Where the page ends and whether another follows. */
  public record PageInfo(@Nullable String endCursor, boolean hasNextPage) {}
}
