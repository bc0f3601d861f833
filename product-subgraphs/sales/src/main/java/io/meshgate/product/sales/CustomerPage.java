package io.meshgate.product.sales;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A {@code CustomerConnection}: one page of customers ordered by id. */
public record CustomerPage(List<Edge> edges, PageInfo pageInfo, int totalCount) {

  /** One customer with its cursor. */
  public record Edge(String cursor, Customer node) {}

  /** Where the page ends and whether another follows. */
  public record PageInfo(@Nullable String endCursor, boolean hasNextPage) {}
}
