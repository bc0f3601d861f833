package io.meshgate.product.sales;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.MetricDefinition;
import io.meshgate.product.api.MetricDimension;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.runtime.events.ChangeOp;
import java.util.List;
import java.util.Set;

/** The sales data product's declaration: it owns customers. */
public final class SalesProduct {

  /** Product name, also its topic and slot prefix. */
  public static final String NAME = "sales";

  /** Captured entities and contract locations. */
  public static final ProductDefinition DEFINITION =
      new ProductDefinition(
          NAME,
          List.of(
              new EntityDefinition(
                  "customer",
                  "sales.customers",
                  List.of("id"),
                  1,
                  "meshgate/sales/events/customer.v1.schema.json")),
          "meshgate/sales/sql",
          "meshgate/sales/graphql",
          List.of(
              new MetricDefinition(
                  "customers_created",
                  "New customers per country and segment.",
                  "customer",
                  Set.of(ChangeOp.CREATE),
                  List.of(
                      MetricDimension.of("country", "country"),
                      MetricDimension.of("segment", "segment")),
                  null)));

  private SalesProduct() {}
}
