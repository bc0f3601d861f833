package io.meshgate.gateway.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.parser.Parser;
import io.meshgate.gateway.testkit.InventorySubgraph.ShippingEstimate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Proves the benchmark subgraphs serve the workload correctly over HTTP, with no gateway involved.
 */
class BenchmarkSubgraphsIT {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String ENTITIES =
      "query($representations: [_Any!]!) { _entities(representations: $representations) ";
  private static final List<String> SUBGRAPHS = BenchmarkSubgraphs.NAMES;

  private static BenchmarkSubgraphs subgraphs;
  private static GraphQLClient client;

  @BeforeAll
  static void start() {
    subgraphs = BenchmarkSubgraphs.start();
    client = new GraphQLClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    subgraphs.close();
  }

  @AfterEach
  void resetFaults() {
    subgraphs.reset();
  }

  @Test
  void findsTheWorkloadOnTheClasspath() throws Exception {
    for (String file :
        List.of(
            "README.md",
            "supergraph.graphql",
            "query.graphql",
            "request.json",
            "subgraph-data.json",
            "expected-response.json")) {
      assertThat(BenchmarkWorkload.read(file)).as(file).isNotBlank();
    }
    assertThat(MAPPER.readTree(BenchmarkWorkload.requestJson()).get("query").asText())
        .contains("query TestQuery", "fragment Product on Product");
  }

  @Test
  void servesEachSubgraphOnItsOwnLoopbackPort() {
    assertThat(subgraphs.urls()).containsOnlyKeys(SUBGRAPHS);
    assertThat(subgraphs.urls().keySet()).containsExactlyElementsOf(SUBGRAPHS);
    assertThat(subgraphs.urls().values())
        .allSatisfy(
            url -> assertThat(url.toString()).matches("http://127\\.0\\.0\\.1:\\d+/graphql"))
        .extracting(url -> url.getPort())
        .doesNotHaveDuplicates();
    assertThat(subgraphs.url("reviews")).isEqualTo(subgraphs.server("reviews").url());
    assertThatThrownBy(() -> subgraphs.url("shipping"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rewritesTheSupergraphUrlsToTheRunningSubgraphs() {
    String supergraph = subgraphs.supergraphSdl();

    assertThat(supergraph).doesNotContain("0.0.0.0:4200");
    for (String name : SUBGRAPHS) {
      assertThat(supergraph)
          .contains("@join__graph(name: \"" + name + "\", url: \"" + subgraphs.url(name) + "\")");
    }
    assertThat(supergraph.replaceAll("url: \"[^\"]*\"", "url: _"))
        .isEqualTo(BenchmarkWorkload.supergraphSdl().replaceAll("url: \"[^\"]*\"", "url: _"));
  }

  @ParameterizedTest
  @FieldSource("SUBGRAPHS")
  void answersServiceSdlAsAFederationTwoSubgraph(String subgraph) {
    String sdl = serviceSdl(subgraph);

    assertThat(sdl)
        .startsWith("schema @link(")
        .contains("url : \"https://specs.apollo.dev/federation/v2.3\"");
    switch (subgraph) {
      case "accounts" ->
          assertThat(sdl).contains("type User @key(fields : \"id\"", "username: String @shareable");
      case "inventory" -> assertThat(sdl).contains("@requires(fields : \"price weight\")");
      case "products" -> assertThat(sdl).contains("type Product @key(fields : \"upc\"");
      case "reviews" ->
          assertThat(sdl)
              .contains("@provides(fields : \"username\")", "type Review @key(fields : \"id\"");
      default -> throw new IllegalArgumentException(subgraph);
    }
  }

  /**
   * Each subgraph must declare exactly the types, fields, keys and field directives the
   * supergraph's {@code @join__*} directives attribute to it: then composing the four gives the
   * workload's supergraph.
   */
  @ParameterizedTest
  @FieldSource("SUBGRAPHS")
  void declaresWhatTheSupergraphJoinDirectivesAttributeToIt(String subgraph) {
    assertThat(shapeOfSubgraph(serviceSdl(subgraph)))
        .containsExactlyElementsOf(shapeInSupergraph(subgraph.toUpperCase(Locale.ROOT)));
  }

  @Test
  void accountsServesUsers() {
    JsonNode data =
        query(
            "accounts",
            "{ users { id name username birthday } me { id } user(id: \"3\") { username } }");

    assertThat(data.get("users")).hasSize(6);
    assertThat(data.get("users").get(0).toString())
        .isEqualTo(
            "{\"id\":\"1\",\"name\":\"Uri"
                + " Goldshtein\",\"username\":\"urigo\",\"birthday\":1234567890}");
    assertThat(data.at("/me/id").asText()).isEqualTo("1");
    assertThat(data.at("/user/username").asText()).isEqualTo("kamilkisiela");
  }

  @Test
  void productsServesTheFirstProductsAsTopProducts() {
    JsonNode data =
        query(
            "products",
            "{ topProducts { upc name price weight } two: topProducts(first: 2) { upc } }");

    assertThat(data.get("topProducts").findValuesAsText("upc"))
        .containsExactly("1", "2", "3", "4", "5");
    assertThat(data.get("topProducts").get(0).toString())
        .isEqualTo("{\"upc\":\"1\",\"name\":\"Table\",\"price\":899,\"weight\":100}");
    assertThat(data.get("two").findValuesAsText("upc")).containsExactly("1", "2");
  }

  @Test
  void accountsResolvesUserEntities() {
    JsonNode entities =
        entities(
            "accounts",
            "{ ... on User { id name username } }",
            List.of(
                Map.of("__typename", "User", "id", "2"), Map.of("__typename", "User", "id", "6")));

    assertThat(entities.toString())
        .isEqualTo(
            "[{\"id\":\"2\",\"name\":\"Dotan Simha\",\"username\":\"dotansimha\"},"
                + "{\"id\":\"6\",\"name\":\"Laurin Quast\",\"username\":\"laurin\"}]");
  }

  @Test
  void productsResolvesProductEntities() {
    JsonNode entities =
        entities(
            "products",
            "{ ... on Product { upc name price weight } }",
            List.of(Map.of("__typename", "Product", "upc", "9")));

    assertThat(entities.toString())
        .isEqualTo("[{\"upc\":\"9\",\"name\":\"Sofa\",\"price\":9999,\"weight\":800}]");
  }

  @Test
  void inventoryIgnoresTheRequiredFieldsLikeTheBenchmark() {
    JsonNode entities =
        entities(
            "inventory",
            "{ ... on Product { upc inStock shippingEstimate } }",
            List.of(
                Map.of("__typename", "Product", "upc", "1", "price", 899, "weight", 100),
                Map.of("__typename", "Product", "upc", "2", "price", 1299, "weight", 1000)));

    assertThat(entities.toString())
        .isEqualTo(
            "[{\"upc\":\"1\",\"inStock\":true,\"shippingEstimate\":null},"
                + "{\"upc\":\"2\",\"inStock\":false,\"shippingEstimate\":null}]");
  }

  @Test
  void inventoryCanEstimateShippingFromTheRequiredFields() {
    try (SubgraphServer inventory =
        SubgraphServer.start(
            "inventory",
            InventorySubgraph.schema(
                BenchmarkData.load(), ShippingEstimate.FROM_REQUIRED_FIELDS))) {
      JsonNode entities =
          entities(
              client.post(
                  inventory.url(),
                  ENTITIES + "{ ... on Product { shippingEstimate } } }",
                  Map.of(
                      "representations",
                      List.of(
                          Map.of("__typename", "Product", "upc", "1", "price", 899, "weight", 100),
                          Map.of(
                              "__typename", "Product", "upc", "2", "price", 1299, "weight", 1000),
                          Map.of("__typename", "Product", "upc", "3")))));

      assertThat(entities.findValuesAsText("shippingEstimate")).containsExactly("50", "0", "null");
    }
  }

  @Test
  void reviewsResolvesReviewUserAndProductEntities() {
    JsonNode entities =
        entities(
            "reviews",
            "{ ... on Review { id product { upc } author { id username } }"
                + " ... on User { id reviews { id } } ... on Product { upc reviews { id } } }",
            List.of(
                Map.of("__typename", "Review", "id", "10"),
                Map.of("__typename", "User", "id", "4"),
                Map.of("__typename", "Product", "upc", "2"),
                Map.of("__typename", "Product", "upc", "5")));

    assertThat(entities.get(0).toString())
        .isEqualTo(
            "{\"id\":\"10\",\"product\":{\"upc\":\"4\"},\"author\":{\"id\":\"1\",\"username\":\"urigo\"}}");
    assertThat(entities.get(1).toString())
        .isEqualTo("{\"id\":\"4\",\"reviews\":[{\"id\":\"1\"},{\"id\":\"2\"}]}");
    assertThat(entities.get(2).get("reviews").findValuesAsText("id"))
        .containsExactly("5", "6", "7", "8");
    assertThat(entities.get(3).toString()).isEqualTo("{\"upc\":\"5\",\"reviews\":[]}");
  }

  @Test
  void answersAnUnknownKeyWithNullAndAnErrorAtItsIndex() {
    JsonNode answer =
        client
            .post(
                subgraphs.url("accounts"),
                ENTITIES + "{ ... on User { name } } }",
                Map.of(
                    "representations",
                    List.of(
                        Map.of("__typename", "User", "id", "1"),
                        Map.of("__typename", "User", "id", "42"))))
            .json();

    assertThat(answer.at("/data/_entities").toString())
        .isEqualTo("[{\"name\":\"Uri Goldshtein\"},null]");
    assertThat(answer.at("/errors/0/path").toString()).isEqualTo("[\"_entities\",1]");
  }

  @Test
  void reproducesTheExpectedResponseWhenStitchedByHand() throws Exception {
    BenchmarkQueryByHand byHand = new BenchmarkQueryByHand(client, subgraphs.urls());

    String answer = byHand.execute().toString();

    assertThat(answer).isEqualTo(BenchmarkWorkload.expectedResponseJson().strip());
    assertThat(byHand.fetches()).hasSize(7);
    assertThat(subgraphs.servers())
        .extracting(SubgraphServer::requestCount)
        .containsExactly(2, 1, 2, 2);
    JsonNode inventoryCall =
        MAPPER.readTree(subgraphs.server("inventory").recordedRequests().getFirst());
    assertThat(inventoryCall.at("/variables/representations").toString())
        .isEqualTo(
            """
            [{"__typename":"Product","upc":"1","price":899,"weight":100},\
            {"__typename":"Product","upc":"2","price":1299,"weight":1000},\
            {"__typename":"Product","upc":"3","price":15,"weight":20},\
            {"__typename":"Product","upc":"4","price":499,"weight":100},\
            {"__typename":"Product","upc":"5","price":1299,"weight":1000}]\
            """);
  }

  @Test
  void failsTheNextRequestsOnDemand() {
    SubgraphServer accounts = subgraphs.server("accounts");
    accounts.failNextRequests(2);

    assertThat(client.post(accounts.url(), "{ me { id } }").status()).isEqualTo(500);
    assertThat(client.post(accounts.url(), "{ me { id } }").status()).isEqualTo(500);
    GraphQLClient.Response recovered = client.post(accounts.url(), "{ me { id } }");

    assertThat(recovered.status()).isEqualTo(200);
    assertThat(recovered.json().at("/data/me/id").asText()).isEqualTo("1");
    assertThat(accounts.requestCount()).isEqualTo(3);

    accounts.failNextRequests(1, 503);
    assertThat(client.post(accounts.url(), "{ me { id } }").status()).isEqualTo(503);
  }

  @Test
  void delaysAnswersOnDemand() {
    SubgraphServer products = subgraphs.server("products");
    products.delay(Duration.ofMillis(300));

    long start = System.nanoTime();
    GraphQLClient.Response slow = client.post(products.url(), "{ topProducts { upc } }");

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(slow.status()).isEqualTo(200);
  }

  @Test
  void recordsTheLastRequestBodies() throws Exception {
    try (SubgraphServer accounts =
        SubgraphServer.start("accounts", AccountsSubgraph.schema(BenchmarkData.load()), 2)) {
      for (String id : List.of("1", "2", "3")) {
        client.post(accounts.url(), "query($id: ID!) { user(id: $id) { id } }", Map.of("id", id));
      }

      assertThat(accounts.requestCount()).isEqualTo(3);
      assertThat(accounts.recordedRequests())
          .extracting(body -> MAPPER.readTree(body).at("/variables/id").asText())
          .containsExactly("2", "3");
    }
  }

  @Test
  void keepsConnectionsAlive() {
    SubgraphServer reviews = subgraphs.server("reviews");

    for (int i = 0; i < 5; i++) {
      assertThat(client.post(reviews.url(), "{ _service { sdl } }").status()).isEqualTo(200);
    }

    assertThat(reviews.requestCount()).isEqualTo(5);
    assertThat(reviews.connectionCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          not json          | 400
          {"variables": {}} | 400
          """)
  void rejectsBodiesThatAreNotGraphQLRequests(String body, int status) {
    GraphQLClient.Response response = client.postJson(subgraphs.url("accounts"), body);

    assertThat(response.status()).isEqualTo(status);
    assertThat(response.json().at("/errors/0/message").asText()).isNotBlank();
  }

  @Test
  void stopsServingWhenClosed() {
    SubgraphServer accounts =
        SubgraphServer.start("accounts", AccountsSubgraph.schema(BenchmarkData.load()));
    accounts.close();

    assertThatThrownBy(() -> client.post(accounts.url(), "{ me { id } }"))
        .isInstanceOf(RuntimeException.class);
  }

  private static String serviceSdl(String subgraph) {
    return query(subgraph, "{ _service { sdl } }").at("/_service/sdl").asText();
  }

  private static JsonNode query(String subgraph, String query) {
    GraphQLClient.Response response = client.post(subgraphs.url(subgraph), query);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().has("errors")).as(response.body()).isFalse();
    return response.json().get("data");
  }

  private static JsonNode entities(
      String subgraph, String selection, List<Map<String, ?>> representations) {
    return entities(
        client.post(
            subgraphs.url(subgraph),
            ENTITIES + selection + " }",
            Map.of("representations", representations)));
  }

  private static JsonNode entities(GraphQLClient.Response response) {
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().has("errors")).as(response.body()).isFalse();
    return response.json().at("/data/_entities");
  }

  /**
   * The object types, keys and fields the supergraph attributes to {@code graph}, one line each.
   */
  private static Set<String> shapeInSupergraph(String graph) {
    Set<String> shape = new TreeSet<>();
    for (ObjectTypeDefinition type :
        Parser.parse(BenchmarkWorkload.supergraphSdl())
            .getDefinitionsOfType(ObjectTypeDefinition.class)) {
      List<Directive> joins =
          type.getDirectives("join__type").stream()
              .filter(join -> graph.equals(argument(join, "graph")))
              .toList();
      if (joins.isEmpty()) {
        continue;
      }
      joins.stream()
          .map(join -> argument(join, "key"))
          .filter(Objects::nonNull)
          .forEach(key -> shape.add(type.getName() + " @key(" + key + ")"));
      for (FieldDefinition field : type.getFieldDefinitions()) {
        List<Directive> fieldJoins = field.getDirectives("join__field");
        if (fieldJoins.isEmpty()) {
          shape.add(fieldLine(type, field, ""));
          continue;
        }
        fieldJoins.stream()
            .filter(join -> graph.equals(argument(join, "graph")))
            .map(
                join ->
                    flag(join, "external")
                        + optional(join, "requires")
                        + optional(join, "provides"))
            .forEach(directives -> shape.add(fieldLine(type, field, directives)));
      }
    }
    return shape;
  }

  /**
   * The same lines for a subgraph's {@code _service} SDL, without the federation-added fields and
   * types.
   */
  private static Set<String> shapeOfSubgraph(String sdl) {
    Set<String> shape = new TreeSet<>();
    Document document = Parser.parse(sdl);
    for (ObjectTypeDefinition type : document.getDefinitionsOfType(ObjectTypeDefinition.class)) {
      if (type.getName().startsWith("_")) {
        continue;
      }
      type.getDirectives("key")
          .forEach(key -> shape.add(type.getName() + " @key(" + argument(key, "fields") + ")"));
      for (FieldDefinition field : type.getFieldDefinitions()) {
        if (field.getName().startsWith("_")) {
          continue;
        }
        String directives =
            (field.hasDirective("external") ? " @external" : "")
                + field.getDirectives("requires").stream()
                    .map(d -> " @requires(" + argument(d, "fields") + ")")
                    .findFirst()
                    .orElse("")
                + field.getDirectives("provides").stream()
                    .map(d -> " @provides(" + argument(d, "fields") + ")")
                    .findFirst()
                    .orElse("");
        shape.add(fieldLine(type, field, directives));
      }
    }
    return shape;
  }

  private static String fieldLine(
      ObjectTypeDefinition type, FieldDefinition field, String directives) {
    String arguments =
        field.getInputValueDefinitions().isEmpty()
            ? ""
            : field.getInputValueDefinitions().stream()
                .map(AstPrinter::printAst)
                .collect(Collectors.joining(", ", "(", ")"));
    return type.getName()
        + "."
        + field.getName()
        + arguments
        + ": "
        + AstPrinter.printAst(field.getType())
        + directives;
  }

  private static String flag(Directive directive, String name) {
    Argument argument = directive.getArgument(name);
    return argument != null && "true".equals(AstPrinter.printAst(argument.getValue()))
        ? " @" + name
        : "";
  }

  private static String optional(Directive directive, String name) {
    String value = argument(directive, name);
    return value == null ? "" : " @" + name + "(" + value + ")";
  }

  private static @Nullable String argument(Directive directive, String name) {
    Argument argument = directive.getArgument(name);
    if (argument == null) {
      return null;
    }
    Value<?> value = argument.getValue();
    return switch (value) {
      case StringValue string -> string.getValue();
      case EnumValue enumValue -> enumValue.getName();
      default -> AstPrinter.printAst(value);
    };
  }
}
