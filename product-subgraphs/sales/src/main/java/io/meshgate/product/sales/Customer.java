package io.meshgate.product.sales;

import org.jspecify.annotations.Nullable;

/**
 * A customer as the subgraph serves it.
 *
 * @param version where this state came from in the WAL; null in a mutation's answer
 */
public record Customer(
    String id,
    String name,
    String email,
    String country,
    String segment,
    String createdAt,
    String updatedAt,
    @Nullable ChangeVersion version) {

  /**
   * Source position of a read-model row.
   *
   * @param lsn LSN in Postgres' textual form
   */
  public record ChangeVersion(String lsn, @Nullable String txId, @Nullable String commitTime) {}
}
