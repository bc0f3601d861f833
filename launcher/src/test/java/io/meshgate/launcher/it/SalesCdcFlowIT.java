package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.launcher.Mesh;
import io.meshgate.product.runtime.ProductPipeline;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A customer written through the subgraph comes back only through CDC, Kafka and the read model.
 */
class SalesCdcFlowIT {

  private static final Duration VISIBLE = Duration.ofSeconds(30);
  private static final String UPSERT =
      """
      mutation($input: CustomerInput!) { upsertCustomer(input: $input) { id name email country segment createdAt } }\
      """;
  private static final String GET =
      """
      query($id: ID!) { customer(id: $id) { id name email country segment version { lsn txId commitTime } } }\
      """;

  private static Mesh mesh;
  private static GraphQlClient sales;

  @BeforeAll
  static void startMesh() {
    mesh = SharedMesh.get();
    sales = new GraphQlClient(mesh.salesUrl().resolve("/graphql"));
  }

  @Test
  void createdUpdatedAndDeletedCustomerFlowsThroughChangeDataCapture() {
    JsonNode created =
        sales.data(
            UPSERT,
            Map.of(
                "input",
                Map.of(
                    "name",
                    "Grace Hopper",
                    "email",
                    "grace@example.com",
                    "country",
                    "us",
                    "segment",
                    "ENTERPRISE")));
    String id = created.at("/upsertCustomer/id").asText();
    assertThat(created.at("/upsertCustomer/country").asText()).isEqualTo("US");

    JsonNode visible = awaitCustomer(id, c -> c.path("name").asText().equals("Grace Hopper"));
    assertThat(visible.path("email").asText()).isEqualTo("grace@example.com");
    assertThat(visible.path("segment").asText()).isEqualTo("ENTERPRISE");
    assertThat(visible.at("/version/lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");

    sales.data(
        UPSERT,
        Map.of(
            "input",
            Map.of(
                "id",
                id,
                "name",
                "Rear Admiral Grace Hopper",
                "email",
                "grace@navy.example.mil",
                "country",
                "US",
                "segment",
                "PUBLIC_SECTOR")));
    JsonNode updated =
        awaitCustomer(id, c -> c.path("name").asText().equals("Rear Admiral Grace Hopper"));
    assertThat(updated.path("segment").asText()).isEqualTo("PUBLIC_SECTOR");

    JsonNode deleted =
        sales.data("mutation($id: ID!) { deleteCustomer(id: $id) }", Map.of("id", id));
    assertThat(deleted.path("deleteCustomer").asText()).isEqualTo(id);
    await()
        .atMost(VISIBLE)
        .until(() -> sales.data(GET, Map.of("id", id)).path("customer").isNull());
  }

  @Test
  void theGatewayServesTheSalesSubgraphAsOneGraph() {
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    JsonNode created =
        gateway.data(
            UPSERT,
            Map.of(
                "input",
                Map.of(
                    "name",
                    "Through The Gateway",
                    "email",
                    "gw@example.com",
                    "country",
                    "SE",
                    "segment",
                    "SMALL_BUSINESS")));
    String id = created.at("/upsertCustomer/id").asText();
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                "Through The Gateway"
                    .equals(gateway.data(GET, Map.of("id", id)).at("/customer/name").asText()));
    JsonNode page =
        gateway.data(
            "{ customers(first: 3, country: \"SE\") { totalCount edges { node { id country } } } }",
            Map.of());
    assertThat(page.at("/customers/totalCount").asInt()).isGreaterThanOrEqualTo(1);
    JsonNode invalid =
        gateway.execute(
            UPSERT,
            Map.of(
                "input",
                Map.of("name", "X", "email", "nope", "country", "SE", "segment", "CONSUMER")));
    assertThat(invalid.at("/errors/0/extensions/field").asText()).isEqualTo("input.email");
  }

  @Test
  void upsertWithAGivenUnknownIdCreatesThatCustomer() {
    String id = UUID.randomUUID().toString();
    JsonNode created =
        sales.data(
            UPSERT,
            Map.of(
                "input",
                Map.of(
                    "id",
                    id,
                    "name",
                    "Katherine Johnson",
                    "email",
                    "kj@example.com",
                    "country",
                    "US",
                    "segment",
                    "CONSUMER")));
    assertThat(created.at("/upsertCustomer/id").asText()).isEqualTo(id);
    awaitCustomer(id, c -> c.path("name").asText().equals("Katherine Johnson"));
  }

  static Stream<Arguments> invalidInputs() {
    return Stream.of(
        Arguments.of(
            Map.of("name", " ", "email", "a@example.com", "country", "DE", "segment", "CONSUMER"),
            "input.name"),
        Arguments.of(
            Map.of("name", "A", "email", "not-an-email", "country", "DE", "segment", "CONSUMER"),
            "input.email"),
        Arguments.of(
            Map.of("name", "A", "email", "a@example", "country", "DE", "segment", "CONSUMER"),
            "input.email"),
        Arguments.of(
            Map.of("name", "A", "email", "a@example.com", "country", "XX", "segment", "CONSUMER"),
            "input.country"),
        Arguments.of(
            Map.of(
                "id",
                "42",
                "name",
                "A",
                "email",
                "a@example.com",
                "country",
                "DE",
                "segment",
                "CONSUMER"),
            "input.id"));
  }

  @ParameterizedTest
  @MethodSource("invalidInputs")
  void invalidInputIsAnErrorNamingTheFieldAndWritesNothing(Map<String, String> input, String field)
      throws SQLException {
    int before = operationalCount();
    JsonNode response = sales.execute(UPSERT, Map.of("input", input));
    assertThat(response.path("errors")).hasSize(1);
    JsonNode error = response.path("errors").get(0);
    assertThat(error.at("/extensions/field").asText()).isEqualTo(field);
    assertThat(error.path("message").asText()).startsWith(field + ":");
    assertThat(response.path("data").isNull()).isTrue();
    assertThat(operationalCount()).isEqualTo(before);
  }

  @Test
  void missingRequiredFieldIsRejectedByTheSchemaNamingIt() {
    JsonNode response =
        sales.execute(
            "mutation { upsertCustomer(input: {email: \"a@example.com\", country: \"DE\", segment:"
                + " CONSUMER}) { id } }");
    assertThat(response.path("errors").get(0).path("message").asText()).contains("name");
  }

  @Test
  void deletingAnUnknownCustomerIsANotFoundError() {
    JsonNode response =
        sales.execute(
            "mutation($id: ID!) { deleteCustomer(id: $id) }",
            Map.of("id", UUID.randomUUID().toString()));
    JsonNode error = response.path("errors").get(0);
    assertThat(error.at("/extensions/code").asText()).isEqualTo("NOT_FOUND");
    assertThat(error.at("/extensions/field").asText()).isEqualTo("id");
  }

  @Test
  void sampleCustomersArriveThroughTheInitialSnapshotAndPageStably() {
    await()
        .atMost(VISIBLE)
        .until(
            () ->
                sales
                        .data("{ customers(first: 1) { totalCount } }", Map.of())
                        .at("/customers/totalCount")
                        .asInt()
                    >= 1000);
    String query =
        """
        query($after: String) { customers(first: 200, after: $after, country: "DE") {
          totalCount edges { cursor node { id country } } pageInfo { endCursor hasNextPage } } }\
        """;
    java.util.List<String> ids = new java.util.ArrayList<>();
    String after = null;
    int total;
    do {
      java.util.Map<String, Object> vars = new java.util.HashMap<>();
      vars.put("after", after);
      JsonNode page = sales.data(query, vars).path("customers");
      total = page.path("totalCount").asInt();
      page.path("edges")
          .forEach(
              e -> {
                assertThat(e.at("/node/country").asText()).isEqualTo("DE");
                ids.add(e.at("/node/id").asText());
              });
      after =
          page.at("/pageInfo/hasNextPage").asBoolean()
              ? page.at("/pageInfo/endCursor").asText()
              : null;
    } while (after != null);
    assertThat(ids).doesNotHaveDuplicates().isSorted().hasSize(total);
    assertThat(total).isGreaterThan(50);
  }

  @Test
  void malformedCursorAndOversizedPageAreErrorsNamingTheArgument() {
    JsonNode badCursor = sales.execute("{ customers(after: \"nope\") { totalCount } }");
    assertThat(badCursor.at("/errors/0/extensions/field").asText()).isEqualTo("after");
    JsonNode tooMany = sales.execute("{ customers(first: 100000) { totalCount } }");
    assertThat(tooMany.at("/errors/0/extensions/field").asText()).isEqualTo("first");
  }

  private static JsonNode awaitCustomer(
      String id, java.util.function.Predicate<JsonNode> condition) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              JsonNode customer = sales.data(GET, Map.of("id", id)).path("customer");
              found[0] = customer;
              return !customer.isNull() && condition.test(customer);
            });
    return found[0];
  }

  static int operationalCount() throws SQLException {
    try (Connection c = connect();
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM sales.customers")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(mesh.jdbcUrl("sales"), mesh.user(), mesh.password());
  }

  static ProductPipeline pipeline() {
    return mesh.sales().getBean(ProductPipeline.class);
  }
}
