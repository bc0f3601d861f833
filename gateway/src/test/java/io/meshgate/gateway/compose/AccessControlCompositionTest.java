package io.meshgate.gateway.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.StringValue;
import graphql.language.TypeDefinition;
import graphql.language.Value;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import io.meshgate.gateway.supergraph.ApiSchema;
import io.meshgate.gateway.supergraph.Supergraph;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Access control ({@code @authenticated}, {@code @requiresScopes}, {@code @policy}) carried from
 * the subgraphs into the supergraph, merged as Apollo's composition does.
 */
class AccessControlCompositionTest {

  private static final String AUTHENTICATED_LINK =
      "@link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY)";
  private static final String REQUIRES_SCOPES_LINK =
      "@link(url: \"https://specs.apollo.dev/requiresScopes/v0.1\", for: SECURITY)";
  private static final String POLICY_LINK =
      "@link(url: \"https://specs.apollo.dev/policy/v0.1\", for: SECURITY)";

  private static SubgraphSchema subgraph(String name, String sdl) {
    return SubgraphSchema.parse(name, URI.create("http://" + name + "/graphql"), sdl);
  }

  private static String compose(SubgraphSchema... subgraphs) {
    return Composer.compose(List.of(subgraphs));
  }

  /** The supergraph reads and its API schema builds. */
  private static GraphQLSchema apiSchema(String supergraph) {
    return ApiSchema.of(Supergraph.parse(supergraph));
  }

  private static DirectivesContainer<?> type(String supergraph, String name) {
    Document document = Parser.parse(supergraph);
    return document.getDefinitionsOfType(TypeDefinition.class).stream()
        .filter(t -> t.getName().equals(name))
        .map(t -> (DirectivesContainer<?>) t)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no type " + name + " in\n" + supergraph));
  }

  private static FieldDefinition field(String supergraph, String typeName, String fieldName) {
    ImplementingTypeDefinition<?> type = (ImplementingTypeDefinition<?>) type(supergraph, typeName);
    return type.getFieldDefinitions().stream()
        .filter(f -> f.getName().equals(fieldName))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no field " + typeName + "." + fieldName));
  }

  /** The access control directives on a type or field. */
  private static List<String> accessDirectives(DirectivesContainer<?> node) {
    return node.getDirectives().stream()
        .map(Directive::getName)
        .filter(n -> List.of("authenticated", "requiresScopes", "policy").contains(n))
        .toList();
  }

  /** The alternatives of the one directive of that name: its list-of-lists argument. */
  private static List<List<String>> alternatives(
      DirectivesContainer<?> node, String directive, String argument) {
    List<Directive> directives = node.getDirectives(directive);
    assertThat(directives).as("@%s", directive).hasSize(1);
    List<List<String>> result = new ArrayList<>();
    for (Value<?> alternative :
        ((ArrayValue) directives.get(0).getArgument(argument).getValue()).getValues()) {
      result.add(
          ((ArrayValue) alternative)
              .getValues().stream().map(v -> ((StringValue) v).getValue()).toList());
    }
    return result;
  }

  @Test
  void carriesRequiresScopesOfOneSubgraphAsWrittenAndLinksOnlyThatSpec() {
    String supergraph =
        compose(
            subgraph(
                "products",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@requiresScopes"])
                type Query {
                  products: [Product!]!
                  media: [Media!]!
                  ping: String @requiresScopes(scopes: "ops")
                }
                type Product @key(fields: "id") {
                  id: ID!
                  price: Int @requiresScopes(scopes: [["read:price", "read:all"], ["admin"]])
                  cost: Int @requiresScopes(scopes: ["finance", "admin"])
                  name: String
                }
                interface Media {
                  title: String @requiresScopes(scopes: [["read:media"]])
                }
                type Book implements Media {
                  title: String
                }
                """));

    assertThat(alternatives(field(supergraph, "Product", "price"), "requiresScopes", "scopes"))
        .containsExactly(List.of("read:price", "read:all"), List.of("admin"));
    assertThat(supergraph)
        .contains(
            "price: Int @requiresScopes(scopes: [[\"read:price\", \"read:all\"], [\"admin\"]])");
    // GraphQL's input coercion: a string is one alternative of one scope, a flat list one scope
    // per alternative.
    assertThat(alternatives(field(supergraph, "Query", "ping"), "requiresScopes", "scopes"))
        .containsExactly(List.of("ops"));
    assertThat(alternatives(field(supergraph, "Product", "cost"), "requiresScopes", "scopes"))
        .containsExactly(List.of("finance"), List.of("admin"));
    assertThat(alternatives(field(supergraph, "Media", "title"), "requiresScopes", "scopes"))
        .containsExactly(List.of("read:media"));
    assertThat(field(supergraph, "Product", "name").getDirectives("requiresScopes")).isEmpty();
    assertThat(field(supergraph, "Book", "title").getDirectives("requiresScopes")).isEmpty();

    assertThat(supergraph)
        .contains(REQUIRES_SCOPES_LINK)
        .contains(
            "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION"
                + " | OBJECT | INTERFACE | SCALAR | ENUM\n")
        .contains("scalar requiresScopes__Scope\n")
        .doesNotContain(AUTHENTICATED_LINK)
        .doesNotContain(POLICY_LINK)
        .doesNotContain("directive @authenticated")
        .doesNotContain("directive @policy");
    GraphQLSchema api = apiSchema(supergraph);
    assertThat(api.getObjectType("Product").getFieldDefinition("price")).isNotNull();
    assertThat(api.getDirective("requiresScopes")).isNull();
  }

  @Test
  void andCombinesTheRequirementsOfASharedFieldAndTypeAcrossSubgraphs() {
    String supergraph =
        compose(
            subgraph(
                "catalog",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@shareable", "@requiresScopes", "@policy"])
                type Query { products: [Product!]! }
                type Product @key(fields: "id") @requiresScopes(scopes: [["catalog"]]) {
                  id: ID!
                  name: String @shareable
                    @requiresScopes(scopes: [["a"], ["b"]])
                    @policy(policies: [["p1"]])
                  sku: String @shareable @requiresScopes(scopes: [["x"], ["y"]])
                }
                """),
            subgraph(
                "pricing",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@shareable", "@authenticated", "@requiresScopes", "@policy"])
                type Product @key(fields: "id") @requiresScopes(scopes: [["pricing"], ["admin"]]) {
                  id: ID!
                  name: String @shareable
                    @authenticated
                    @requiresScopes(scopes: [["c"]])
                    @policy(policies: [["p2", "p1"], ["p3"]])
                  sku: String @shareable @requiresScopes(scopes: [["y"], ["x"]])
                  price: Int
                }
                """));

    FieldDefinition name = field(supergraph, "Product", "name");
    assertThat(name.getDirectives("authenticated")).hasSize(1);
    assertThat(alternatives(name, "requiresScopes", "scopes"))
        .containsExactly(List.of("a", "c"), List.of("b", "c"));
    // [[p1]] and [[p2, p1], [p3]]: p1 and p2, or p1 and p3; each inner set without duplicates.
    assertThat(alternatives(name, "policy", "policies"))
        .containsExactly(List.of("p1", "p2"), List.of("p1", "p3"));
    // The same requirement in two subgraphs (order aside) counts once.
    assertThat(alternatives(field(supergraph, "Product", "sku"), "requiresScopes", "scopes"))
        .containsExactly(List.of("x"), List.of("y"));
    // A field of one subgraph takes only that subgraph's field-level requirements.
    assertThat(accessDirectives(field(supergraph, "Product", "price"))).isEmpty();
    assertThat(alternatives(type(supergraph, "Product"), "requiresScopes", "scopes"))
        .containsExactly(List.of("catalog", "pricing"), List.of("catalog", "admin"));

    assertThat(supergraph)
        .contains(AUTHENTICATED_LINK, REQUIRES_SCOPES_LINK, POLICY_LINK)
        .contains(
            "directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM\n")
        .contains(
            "directive @policy(policies: [[policy__Policy!]!]!) on FIELD_DEFINITION | OBJECT |"
                + " INTERFACE | SCALAR | ENUM\n")
        .contains("scalar policy__Policy\n");
    assertThat(apiSchema(supergraph).getObjectType("Product").getFieldDefinition("name"))
        .isNotNull();
  }

  @Test
  void dropsAlternativesThatAskMoreThanAnotherAndIgnoresExternalCopies() {
    String supergraph =
        compose(
            subgraph(
                "reviews",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@shareable", "@external", "@requires", "@requiresScopes"])
                type Query { reviews: [Review!]! }
                type Review { product: Product! }
                type Product @key(fields: "id") {
                  id: ID!
                  name: String @shareable @requiresScopes(scopes: [["a"], ["b"]])
                  weight: Int @external @requiresScopes(scopes: [["never"]])
                  shipping: Int @requires(fields: "weight")
                }
                """),
            subgraph(
                "catalog",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@shareable", "@requiresScopes"])
                type Query { products: [Product!]! }
                type Product @key(fields: "id") {
                  id: ID!
                  name: String @shareable @requiresScopes(scopes: [["a"]])
                  weight: Int @requiresScopes(scopes: [["w"]])
                }
                """));

    // ([a] or [b]) and [a]: [a] alone suffices, [a, b] asks more.
    assertThat(alternatives(field(supergraph, "Product", "name"), "requiresScopes", "scopes"))
        .containsExactly(List.of("a"));
    // An @external declaration does not resolve the field: its requirement is not the field's.
    assertThat(alternatives(field(supergraph, "Product", "weight"), "requiresScopes", "scopes"))
        .containsExactly(List.of("w"));
  }

  @Test
  void carriesTypeLevelAuthenticatedOnObjectsExtensionsInterfacesScalarsAndEnums() {
    String supergraph =
        compose(
            subgraph(
                "accounts",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@authenticated", "@policy"])
                type Query { me: Account node: Node }
                type Account @key(fields: "id") @authenticated {
                  id: ID!
                  role: Role
                  email: Email
                }
                enum Role @authenticated { ADMIN USER }
                scalar Email @policy(policies: "pii")
                interface Node @authenticated { id: ID! }
                """),
            subgraph(
                "billing",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@authenticated"])
                extend type Invoice @key(fields: "id") @authenticated { id: ID! total: Int }
                type Query { invoices: [Invoice!]! }
                """));

    assertThat(type(supergraph, "Account").getDirectives("authenticated")).hasSize(1);
    assertThat(type(supergraph, "Role").getDirectives("authenticated")).hasSize(1);
    assertThat(type(supergraph, "Node").getDirectives("authenticated")).hasSize(1);
    assertThat(type(supergraph, "Invoice").getDirectives("authenticated")).hasSize(1);
    assertThat(alternatives(type(supergraph, "Email"), "policy", "policies"))
        .containsExactly(List.of("pii"));
    assertThat(type(supergraph, "Query").getDirectives("authenticated")).isEmpty();
    assertThat(accessDirectives(field(supergraph, "Account", "email"))).isEmpty();
    assertThat(supergraph)
        .contains("enum Role\n  @join__type(graph: ACCOUNTS)\n  @authenticated {\n")
        .contains(AUTHENTICATED_LINK, POLICY_LINK)
        .doesNotContain(REQUIRES_SCOPES_LINK);
    GraphQLSchema api = apiSchema(supergraph);
    assertThat(api.getObjectType("Account")).isNotNull();
    assertThat(api.getDirective("authenticated")).isNull();
  }

  @Test
  void carriesAnInterfaceObjectsFieldRequirementToTheImplementations() {
    String supergraph =
        compose(
            subgraph(
                "fleet",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
                type Query { vehicles: [Vehicle!]! }
                interface Vehicle @key(fields: "vin") { vin: ID! }
                type Truck implements Vehicle @key(fields: "vin") { vin: ID! axles: Int }
                """),
            subgraph(
                "valuation",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                  import: ["@key", "@interfaceObject", "@requiresScopes"])
                type Vehicle @key(fields: "vin") @interfaceObject {
                  vin: ID!
                  listPrice: Int @requiresScopes(scopes: [["valuation"]])
                }
                """));

    assertThat(alternatives(field(supergraph, "Vehicle", "listPrice"), "requiresScopes", "scopes"))
        .containsExactly(List.of("valuation"));
    assertThat(alternatives(field(supergraph, "Truck", "listPrice"), "requiresScopes", "scopes"))
        .containsExactly(List.of("valuation"));
  }

  @Test
  void printsRenamedAndPrefixedDirectivesUnderTheirSpecNames() {
    String supergraph =
        compose(
            subgraph(
                "products",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: [
                  "@key",
                  {name: "@requiresScopes", as: "@scopes"},
                  {name: "@authenticated", as: "@loggedIn"}
                ])
                directive @requiresScopes(level: Int) on FIELD_DEFINITION
                type Query { products: [Product!]! }
                type Product @key(fields: "id") @loggedIn {
                  id: ID!
                  price: Int @scopes(scopes: [["read:price"]])
                  stock: Int @requiresScopes(level: 2)
                }
                """),
            subgraph(
                "reviews",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", as: "fed",
                  import: [{name: "@key", as: "@id"}])
                type Query { reviews: [Review!]! }
                type Review @id(fields: "id") @fed__authenticated {
                  id: ID!
                  body: String @fed__policy(policies: [["moderator"]])
                }
                """));

    assertThat(type(supergraph, "Product").getDirectives("authenticated")).hasSize(1);
    assertThat(alternatives(field(supergraph, "Product", "price"), "requiresScopes", "scopes"))
        .containsExactly(List.of("read:price"));
    // The subgraph's own @requiresScopes is not the federation directive it renamed.
    assertThat(accessDirectives(field(supergraph, "Product", "stock"))).isEmpty();
    assertThat(type(supergraph, "Review").getDirectives("authenticated")).hasSize(1);
    assertThat(alternatives(field(supergraph, "Review", "body"), "policy", "policies"))
        .containsExactly(List.of("moderator"));
    assertThat(supergraph)
        .doesNotContain("@scopes")
        .doesNotContain("@loggedIn")
        .doesNotContain("fed__")
        .contains(AUTHENTICATED_LINK, REQUIRES_SCOPES_LINK, POLICY_LINK);
    apiSchema(supergraph);
  }

  @Test
  void addsNothingWhenNoSubgraphUsesAccessControl() {
    String supergraph =
        compose(
            subgraph(
                "products",
                """
                extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
                type Query { products: [Product!]! }
                type Product @key(fields: "id") { id: ID! name: String }
                """));

    assertThat(supergraph)
        .doesNotContain("authenticated")
        .doesNotContain("requiresScopes")
        .doesNotContain("policy")
        .contains(
            "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION\n\n"
                + "scalar join__FieldSet\nscalar link__Import\n"
                + "enum link__Purpose { SECURITY EXECUTION }\n\nenum join__Graph {\n")
        .contains("  name: String\n}\n");
  }

  @Test
  void failsWhenCombiningRequirementsGivesTooManyAlternatives() {
    String scopes17 =
        IntStream.range(0, 17).mapToObj(i -> "[\"s" + i + "\"]").collect(Collectors.joining(", "));
    String scopes17Other =
        IntStream.range(0, 17).mapToObj(i -> "[\"t" + i + "\"]").collect(Collectors.joining(", "));
    String template =
        """
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
          import: ["@key", "@shareable", "@requiresScopes"])
        type Query { products: [Product!]! }
        type Product @key(fields: "id") {
          id: ID!
          name: String @shareable @requiresScopes(scopes: [%s])
        }
        """;

    // 17 x 17 = 289 alternatives, more than 256.
    assertThatThrownBy(
            () ->
                compose(
                    subgraph("a", template.formatted(scopes17)),
                    subgraph("b", template.formatted(scopes17Other))))
        .isInstanceOf(CompositionException.class)
        .hasMessageContaining("@requiresScopes on Product.name")
        .hasMessageContaining("\"a\" and \"b\"")
        .hasMessageContaining("more than 256 alternatives");
    // 17 alternatives alone are as the subgraph wrote them.
    assertThat(
            alternatives(
                field(compose(subgraph("a", template.formatted(scopes17))), "Product", "name"),
                "requiresScopes",
                "scopes"))
        .hasSize(17);
  }

  @Test
  void rejectsMalformedRequirementsAndAccessControlOnUnions() {
    assertThatThrownBy(
            () ->
                compose(
                    subgraph(
                        "products",
                        """
                        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5",
                          import: ["@key", "@requiresScopes", "@authenticated"])
                        type Query { products: [Product!]! search: Result }
                        type Product @key(fields: "id") {
                          id: ID!
                          price: Int @requiresScopes(scopes: [[3]])
                        }
                        union Result @authenticated = Product
                        """)))
        .isInstanceOf(CompositionException.class)
        .hasMessageContaining(
            "[products] @requiresScopes on Product.price takes scopes: as a list of lists of"
                + " strings, got [[3]]")
        .hasMessageContaining("[products] union Result cannot take @authenticated");
  }
}
