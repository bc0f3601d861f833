package io.meshgate.product.finance;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import java.util.List;

/** The finance data product's declaration: it owns accounts, ledger transactions and invoices. */
public final class FinanceProduct {

  /** Product name, also its topic and slot prefix. */
  public static final String NAME = "finance";

  /** Captured entities and contract locations. */
  public static final ProductDefinition DEFINITION = new ProductDefinition(
      NAME,
      List.of(
          entity("account", "accounts"),
          entity("ledger_transaction", "ledger_transactions"),
          entity("invoice", "invoices")),
      "meshgate/finance/sql",
      "meshgate/finance/graphql");

  private static EntityDefinition entity(String name, String table) {
    return new EntityDefinition(name, NAME + "." + table, List.of("id"), 1,
        "meshgate/finance/events/" + name + ".v1.schema.json");
  }

  private FinanceProduct() {}
}
