package io.meshgate.product.finance;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** An {@code InvoiceConnection}: one page of invoices ordered by id. */
public record InvoicePage(List<Edge> edges, PageInfo pageInfo, int totalCount) {

  /** One invoice with its cursor. */
  public record Edge(String cursor, Invoice node) {}

  /** Where the page ends and whether another follows. */
  public record PageInfo(@Nullable String endCursor, boolean hasNextPage) {}
}
