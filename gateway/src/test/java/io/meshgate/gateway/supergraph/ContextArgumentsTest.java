package io.meshgate.gateway.supergraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.gateway.compose.Composer;
import io.meshgate.gateway.compose.CompositionException;
import io.meshgate.gateway.compose.SubgraphSchema;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Contexts ({@code @context}) and context arguments ({@code @join__field(contextArguments:)}, join
 * v0.5).
 */
class ContextArgumentsTest {

  /** As Apollo's composition prints it: the context spec linked, its directive unprefixed. */
  private static final String SUPERGRAPH =
      """
      schema
        @link(url: "https://specs.apollo.dev/link/v1.0")
        @link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)
        @link(url: "https://specs.apollo.dev/context/v0.1", for: SECURITY)
      {
        query: Query
      }

      directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION
      directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String, contextArguments: [join__ContextArgument!]) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
      directive @join__graph(name: String!, url: String!) on ENUM_VALUE
      directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
      directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

      input join__ContextArgument { name: String! type: String! context: String! selection: join__FieldValue! }
      scalar join__FieldSet
      scalar join__FieldValue
      scalar link__Import
      enum link__Purpose { SECURITY EXECUTION }

      enum join__Graph {
        INVENTORY @join__graph(name: "inventory", url: "http://inventory/graphql")
      }

      type Query @join__type(graph: INVENTORY) {
        users: [User!]! @join__field(graph: INVENTORY)
      }

      type User @join__type(graph: INVENTORY, key: "id") @context(name: "inventory__userContext") {
        id: ID!
        locale: String!
        address: Address
        cart: Cart!
      }

      type Address @join__type(graph: INVENTORY) {
        country: String
      }

      type Cart @join__type(graph: INVENTORY, key: "id") {
        id: ID!
        total: String
          @join__field(graph: INVENTORY, contextArguments: [{context: "inventory__userContext", name: "locale", type: "String!", selection: "{ locale }"}, {context: "inventory__userContext", name: "country", type: "String", selection: "{ address { country } }"}])
      }
      """;

  @Test
  void readsContextsOfTypesAndContextArgumentsOfFields() {
    Supergraph supergraph = Supergraph.parse(SUPERGRAPH);
    assertThat(supergraph.requireType("User").contexts()).containsExactly("inventory__userContext");
    assertThat(supergraph.requireType("Cart").contexts()).isEmpty();
    Supergraph.FieldInfo total = supergraph.requireType("Cart").fields().get("total");
    assertThat(supergraph.fieldJoin(total, "inventory").orElseThrow().contextArguments())
        .containsExactly(
            new Supergraph.ContextArgument(
                "inventory__userContext", "locale", "String!", "{ locale }"),
            new Supergraph.ContextArgument(
                "inventory__userContext", "country", "String", "{ address { country } }"));
    Supergraph.FieldInfo users = supergraph.requireType("Query").fields().get("users");
    assertThat(supergraph.fieldJoin(users, "inventory").orElseThrow().contextArguments()).isEmpty();
  }

  @Test
  void followsARenamedContextDirective() {
    Supergraph supergraph =
        Supergraph.parse(
            SUPERGRAPH
                .replace(
                    "@link(url: \"https://specs.apollo.dev/context/v0.1\", for: SECURITY)",
                    "@link(url: \"https://specs.apollo.dev/context/v0.1\", as: \"ctx\", for:"
                        + " SECURITY)")
                .replace("directive @context(", "directive @ctx(")
                .replace(
                    "@context(name: \"inventory__userContext\")",
                    "@ctx(name: \"inventory__userContext\")"));
    assertThat(supergraph.requireType("User").contexts()).containsExactly("inventory__userContext");
  }

  @Test
  void composesFromContextIntoContextArgumentsWithoutTheArgumentInTheApiSchema() {
    Supergraph supergraph =
        Supergraph.parse(
            Composer.compose(
                List.of(
                    SubgraphSchema.parse(
                        "accounts",
                        URI.create("http://accounts/graphql"),
                        """
                        extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@context"])
                        type Query { users: [User!]! }
                        type User @key(fields: "id") @context(name: "userContext") { id: ID! locale: String! cart: Cart! }
                        type Cart @key(fields: "id") { id: ID! }
                        """),
                    SubgraphSchema.parse(
                        "pricing",
                        URI.create("http://pricing/graphql"),
                        """
                        extend schema @link(url: "https://specs.apollo.dev/federation/v2.8",
                          import: ["@key", "@external", "@context", "@fromContext"])
                        type User @key(fields: "id") @context(name: "userContext") { id: ID! locale: String! @external }
                        type Cart @key(fields: "id") {
                          id: ID!
                          total(locale: String @fromContext(field: "$userContext { locale }"), round: Boolean): String
                        }
                        """))));
    assertThat(supergraph.requireType("User").contexts())
        .containsExactlyInAnyOrder("accounts__userContext", "pricing__userContext");
    Supergraph.FieldInfo total = supergraph.requireType("Cart").fields().get("total");
    // A context comes from the subgraph that takes it (Federation's rule), whoever resolves the
    // value.
    assertThat(supergraph.fieldJoin(total, "pricing").orElseThrow().contextArguments())
        .containsExactly(
            new Supergraph.ContextArgument(
                "pricing__userContext", "locale", "String", " { locale }"));
    var field = ApiSchema.of(supergraph).getObjectType("Cart").getFieldDefinition("total");
    assertThat(field.getArguments()).extracting(a -> a.getName()).containsExactly("round");
  }

  @Test
  void rejectsAContextNoSubgraphSets() {
    assertThatThrownBy(
            () ->
                Composer.compose(
                    List.of(
                        SubgraphSchema.parse(
                            "pricing",
                            URI.create("http://pricing/graphql"),
                            """
                            extend schema @link(url: "https://specs.apollo.dev/federation/v2.8", import: ["@key", "@fromContext"])
                            type Query { carts: [Cart!]! }
                            type Cart @key(fields: "id") {
                              id: ID!
                              total(locale: String @fromContext(field: "$nowhere { locale }")): String
                            }
                            """))))
        .isInstanceOf(CompositionException.class)
        .hasMessageContaining("names context nowhere");
  }
}
