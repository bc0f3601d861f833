package io.meshgate.product.distribution;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import java.util.List;

/** The distribution data product's declaration: it owns warehouses, orders, order lines and shipments. */
public final class DistributionProduct {

  /** Product name, also its topic and slot prefix. */
  public static final String NAME = "distribution";

  /** Captured entities and contract locations. */
  public static final ProductDefinition DEFINITION = new ProductDefinition(
      NAME,
      List.of(
          entity("warehouse", "warehouses"),
          entity("order", "orders"),
          entity("order_line", "order_lines"),
          entity("shipment", "shipments")),
      "meshgate/distribution/sql",
      "meshgate/distribution/graphql");

  private static EntityDefinition entity(String name, String table) {
    return new EntityDefinition(name, NAME + "." + table, List.of("id"), 1,
        "meshgate/distribution/events/" + name + ".v1.schema.json");
  }

  private DistributionProduct() {}

  /** Sales' customer entity as its published contract describes it; distribution replicates it. */
  public static final EntityDefinition SALES_CUSTOMER = new EntityDefinition("customer", "sales.customers",
      List.of("id"), 1, "meshgate/sales/events/customer.v1.schema.json");
}
