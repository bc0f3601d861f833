package io.meshgate.gateway.testkit;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import io.meshgate.gateway.testkit.FederatedSchemas.EntityType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's inventory subgraph: owns {@code inStock} and {@code shippingEstimate}, which
 * {@code @requires} the product's price and weight.
 */
public final class InventorySubgraph {

  /**
   * The subgraph schema as a subgraph author writes it; federation-jvm adds {@code _service} and
   * {@code _entities}.
   */
  public static final String SDL =
      """
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }
      """;

  /** Where the shipping estimate takes price and weight from. */
  public enum ShippingEstimate {
    /**
     * As the original benchmark subgraph: from inventory's own price and weight, which it does not
     * have, so the estimate is always {@code null} (as {@code expected-response.json} says)
     * whatever the gateway sends.
     */
    BENCHMARK,
    /**
     * From the price and weight in the representation, as {@code @requires} intends: proves a
     * gateway sends them ({@code 0} above price 1000, else half the weight).
     */
    FROM_REQUIRED_FIELDS
  }

  /** A product as inventory sees it: its own stock, plus whatever price and weight it was given. */
  record StockedProduct(
      String upc, boolean inStock, @Nullable Integer price, @Nullable Integer weight) {

    /** Same formula as the original benchmark subgraph. */
    @Nullable Integer shippingEstimate() {
      if (price == null) {
        return null;
      }
      if (price > 1000) {
        return 0;
      }
      return weight == null ? null : weight / 2;
    }
  }

  private InventorySubgraph() {}

  /** The executable subgraph over {@code data}, with the benchmark's shipping estimates. */
  public static GraphQLSchema schema(BenchmarkData data) {
    return schema(data, ShippingEstimate.BENCHMARK);
  }

  /**
   * The executable subgraph over {@code data}, estimating shipping as {@code shippingEstimate}
   * says.
   */
  public static GraphQLSchema schema(BenchmarkData data, ShippingEstimate shippingEstimate) {
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Product",
                product ->
                    product
                        .dataFetcher("inStock", env -> env.<StockedProduct>getSource().inStock())
                        .dataFetcher(
                            "shippingEstimate",
                            env -> env.<StockedProduct>getSource().shippingEstimate()))
            .build();
    return FederatedSchemas.build(
        SDL,
        wiring,
        List.of(
            new EntityType(
                "Product",
                StockedProduct.class,
                representation -> find(data, representation, shippingEstimate))));
  }

  private static Optional<StockedProduct> find(
      BenchmarkData data, Map<String, Object> representation, ShippingEstimate shippingEstimate) {
    return data.stock(FederatedSchemas.key(representation, "upc"))
        .map(
            stock ->
                switch (shippingEstimate) {
                  case BENCHMARK -> new StockedProduct(stock.upc(), stock.inStock(), null, null);
                  case FROM_REQUIRED_FIELDS ->
                      new StockedProduct(
                          stock.upc(),
                          stock.inStock(),
                          integer(representation.get("price")),
                          integer(representation.get("weight")));
                });
  }

  private static @Nullable Integer integer(@Nullable Object value) {
    return value instanceof Number number ? number.intValue() : null;
  }
}
