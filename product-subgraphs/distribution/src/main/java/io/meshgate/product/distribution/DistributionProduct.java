package io.meshgate.product.distribution;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.MetricDefinition;
import io.meshgate.product.api.MetricDimension;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.runtime.events.ChangeOp;
import java.util.List;
import java.util.Set;

/**
 * The distribution data product's declaration: it owns warehouses, orders, order lines and
 * shipments.
 */
public final class DistributionProduct {

  /** Product name, also its topic and slot prefix. */
  public static final String NAME = "distribution";

  /** Captured entities and contract locations. */
  public static final ProductDefinition DEFINITION =
      new ProductDefinition(
          NAME,
          List.of(
              entity("warehouse", "warehouses"),
              entity("order", "orders"),
              entity("order_line", "order_lines"),
              entity("shipment", "shipments"),
              entity("inventory", "inventory")),
          "meshgate/distribution/sql",
          "meshgate/distribution/graphql",
          List.of(
              new MetricDefinition(
                  "orders",
                  "Orders placed and their revenue (sum of totals) per warehouse and currency.",
                  "order",
                  Set.of(ChangeOp.CREATE),
                  List.of(
                      MetricDimension.lookup("warehouse", "warehouse_id", "warehouse", "code"),
                      MetricDimension.of("currency", "currency")),
                  "total"),
              new MetricDefinition(
                  "shipments",
                  "Orders shipped per carrier.",
                  "shipment",
                  Set.of(ChangeOp.CREATE),
                  List.of(MetricDimension.of("carrier", "carrier")),
                  null)));

  private static EntityDefinition entity(String name, String table) {
    return new EntityDefinition(
        name,
        NAME + "." + table,
        List.of("id"),
        1,
        "meshgate/distribution/events/" + name + ".v1.schema.json");
  }

  private DistributionProduct() {}

  /** Sales' customer entity as its published contract describes it; distribution replicates it. */
  public static final EntityDefinition SALES_CUSTOMER =
      new EntityDefinition(
          "customer",
          "sales.customers",
          List.of("id"),
          1,
          "meshgate/sales/events/customer.v1.schema.json");
}
