package io.meshgate.gateway.testkit;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import io.meshgate.gateway.testkit.BenchmarkData.Product;
import io.meshgate.gateway.testkit.FederatedSchemas.EntityType;
import java.util.List;

/**
 * The benchmark's products subgraph: owns name, price and weight; {@code topProducts} lists the
 * first products.
 */
public final class ProductsSubgraph {

  /**
   * The subgraph schema as a subgraph author writes it; federation-jvm adds {@code _service} and
   * {@code _entities}.
   */
  public static final String SDL =
      """
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

      type Query {
        topProducts(first: Int = 5): [Product]
      }

      type Product @key(fields: "upc") {
        upc: String!
        name: String
        price: Int
        weight: Int
      }
      """;

  private static final int DEFAULT_FIRST = 5;

  private ProductsSubgraph() {}

  /** The executable subgraph over {@code data}. */
  public static GraphQLSchema schema(BenchmarkData data) {
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Query",
                query ->
                    query.dataFetcher(
                        "topProducts",
                        env -> {
                          Integer first = env.getArgument("first");
                          return data.products().stream()
                              .limit(Math.max(0, first == null ? DEFAULT_FIRST : first))
                              .toList();
                        }))
            .build();
    return FederatedSchemas.build(
        SDL,
        wiring,
        List.of(
            new EntityType(
                "Product",
                Product.class,
                representation -> data.product(FederatedSchemas.key(representation, "upc")))));
  }
}
