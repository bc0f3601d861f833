package io.meshgate.product.finance;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.MetricDefinition;
import io.meshgate.product.api.MetricDimension;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.runtime.events.ChangeOp;
import java.util.List;
import java.util.Set;

/** The finance data product's declaration: it owns accounts, ledger transactions and invoices. */
public final class FinanceProduct {

  /** Product name, also its topic and slot prefix. */
  public static final String NAME = "finance";

  /** Captured entities and contract locations. */
  public static final ProductDefinition DEFINITION =
      new ProductDefinition(
          NAME,
          List.of(
              entity("account", "accounts"),
              entity("ledger_transaction", "ledger_transactions"),
              entity("invoice", "invoices")),
          "meshgate/finance/sql",
          "meshgate/finance/graphql",
          List.of(
              new MetricDefinition(
                  "ledger",
                  "Ledger transactions booked and their amounts, per kind and currency.",
                  "ledger_transaction",
                  Set.of(ChangeOp.CREATE),
                  List.of(
                      MetricDimension.of("kind", "kind"),
                      MetricDimension.of("currency", "currency")),
                  "amount"),
              new MetricDefinition(
                  "invoices",
                  "Invoices issued and their amounts, per currency.",
                  "invoice",
                  Set.of(ChangeOp.CREATE),
                  List.of(MetricDimension.of("currency", "currency")),
                  "amount")));

  private static EntityDefinition entity(String name, String table) {
    return new EntityDefinition(
        name,
        NAME + "." + table,
        List.of("id"),
        1,
        "meshgate/finance/events/" + name + ".v1.schema.json");
  }

  private FinanceProduct() {}
}
