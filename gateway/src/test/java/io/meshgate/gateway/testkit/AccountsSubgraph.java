package io.meshgate.gateway.testkit;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import io.meshgate.gateway.testkit.BenchmarkData.User;
import io.meshgate.gateway.testkit.FederatedSchemas.EntityType;
import java.util.List;

/** The benchmark's accounts subgraph: owns users; {@code me} is the first user. */
public final class AccountsSubgraph {

  /**
   * The subgraph schema as a subgraph author writes it; federation-jvm adds {@code _service} and
   * {@code _entities}.
   */
  public static final String SDL =
      """
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

      type Query {
        me: User
        user(id: ID!): User
        users: [User]
      }

      type User @key(fields: "id") {
        id: ID!
        name: String
        # Shareable because reviews resolves it too, through Review.author @provides(fields: "username").
        username: String @shareable
        birthday: Int
      }
      """;

  private AccountsSubgraph() {}

  /** The executable subgraph over {@code data}. */
  public static GraphQLSchema schema(BenchmarkData data) {
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Query",
                query ->
                    query
                        .dataFetcher("me", env -> data.users().getFirst())
                        .dataFetcher("user", env -> data.user(env.getArgument("id")).orElse(null))
                        .dataFetcher("users", env -> data.users()))
            .build();
    return FederatedSchemas.build(
        SDL,
        wiring,
        List.of(
            new EntityType(
                "User",
                User.class,
                representation -> data.user(FederatedSchemas.key(representation, "id")))));
  }
}
