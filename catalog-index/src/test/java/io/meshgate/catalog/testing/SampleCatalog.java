package io.meshgate.catalog.testing;

import static io.meshgate.catalog.testing.Entries.dataset;

import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.DatasetKind;
import io.meshgate.catalog.model.LineageEdge.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * A small mesh catalog for search tests: the sales customer datasets, and many decoys that use the
 * word "customer" in every way except as their whole name.
 */
public final class SampleCatalog {

  private SampleCatalog() {}

  /** Every entry of the sample catalog. */
  public static List<CatalogEntry> entries() {
    List<CatalogEntry> entries = new ArrayList<>();
    entries.add(
        dataset("sales.customers")
            .description("Customers of the enterprise: who buys and where.")
            .tags("master-data")
            .classifications("PII")
            .field("id", "uuid", "Customer identifier.")
            .field("email", "varchar(320)", "Contact e-mail address.", "PII")
            .field("country", "char(2)", "ISO 3166-1 alpha-2 country code.")
            .build());
    entries.add(
        dataset("Customer")
            .kind(DatasetKind.GRAPHQL_TYPE)
            .description("A customer as the sales subgraph serves it.")
            .classifications("PII")
            .field("id", "ID!", "Customer identifier (a UUID).")
            .field("email", "String!", "Contact e-mail address.", "PII")
            .edge(
                "sales/table/sales.customers#email", "sales/graphql/Customer#email", Kind.EXPOSURE)
            .build());
    entries.add(
        dataset("mesh.sales.customer.changes")
            .kind(DatasetKind.TOPIC)
            .description("Every committed change of a sales customer.")
            .tags("cdc")
            .field("after.email", "string", "Contact e-mail address after the change.", "PII")
            .build());
    entries.add(
        dataset("CustomerAccount")
            .product("finance")
            .domain("Finance")
            .owner("team-finance")
            .description("Accounts a customer holds with finance.")
            .classifications("FINANCIAL")
            .field("customer_id", "uuid", "The customer owning the account.")
            .field("balance", "numeric(18,2)", "Current balance of the account.", "FINANCIAL")
            .build());
    entries.add(
        dataset("customers_archive")
            .product("sales")
            .description(
                "customer customer customer customer customer customer customer customer: old"
                    + " customers, every customer that left, customer by customer.")
            .field("customer_email", "text", "E-mail of the customer customer customer.", "PII")
            .field("customer_name", "text", "Name of the customer customer.", "PII")
            .build());
    entries.add(
        dataset("orders")
            .product("distribution")
            .domain("Logistics")
            .owner("team-distribution")
            .description("Orders customers place; each names its customer and destination.")
            .field("id", "uuid", "Order identifier.")
            .field("customer", "uuid", "The customer who placed the order (customer id).")
            .field("customer_country", "char(2)", "Destination country of the customer.")
            .build());
    entries.add(
        dataset("invoices")
            .product("finance")
            .domain("Finance")
            .owner("team-finance")
            .description("Invoices sent to customers for their orders.")
            .classifications("FINANCIAL")
            .tags("billing")
            .field("id", "uuid", "Invoice identifier.")
            .field("customer_id", "uuid", "Customer billed.")
            .field("amount", "numeric(18,2)", "Invoiced amount.", "FINANCIAL")
            .build());
    for (int i = 0; i < 20; i++) {
      entries.add(
          dataset("customer_report_" + i)
              .product("analytics")
              .domain("Analytics")
              .owner("team-bi")
              .description(
                  "Report "
                      + i
                      + " about customer customer customer behaviour, per customer segment.")
              .field("customer_id", "uuid", "Customer of the row.")
              .field("customer_segment", "text", "Customer segment customer.")
              .build());
    }
    return entries;
  }
}
