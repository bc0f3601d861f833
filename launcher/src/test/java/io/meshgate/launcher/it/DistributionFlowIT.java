package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.launcher.Mesh;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An order placed through the distribution subgraph comes back only through CDC, Kafka and the read
 * model, and the gateway joins it to the sales customer who placed it.
 */
class DistributionFlowIT {

  private static final Duration VISIBLE = Duration.ofSeconds(30);
  private static final String PLACE =
      """
      mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
        id customerId status currency total lines { sku quantity unitPrice } } }\
      """;
  private static final String GET =
      """
      query($id: ID!) { order(id: $id) { id customerId status currency total placedAt
        lines { sku quantity unitPrice } warehouse { code } shipment { carrier status } } }\
      """;

  private static Mesh mesh;
  private static GraphQlClient distribution;
  private static String warehouseId;

  @BeforeAll
  static void startMesh() {
    mesh = SharedMesh.get();
    distribution = new GraphQlClient(mesh.productUrl("distribution").resolve("/graphql"));
    await()
        .atMost(VISIBLE)
        .until(
            () ->
                distribution.data("{ warehouses { id } }", Map.of()).path("warehouses").size()
                    == 3);
    warehouseId =
        distribution.data("{ warehouses { id code } }", Map.of()).at("/warehouses/0/id").asText();
  }

  @Test
  void placedOrderFlowsThroughChangeDataCaptureAndCancelChangesItsStatus() {
    String customerId = UUID.randomUUID().toString();
    JsonNode placed =
        distribution
            .data(
                PLACE,
                Map.of(
                    "input",
                    order(
                        customerId,
                        "eur",
                        List.of(
                            Map.of("sku", "LAMP-LED", "quantity", 2, "unitPrice", "19.99"),
                            Map.of("sku", "DESK-STAND", "quantity", 1, "unitPrice", "450")))))
            .path("placeOrder");
    String id = placed.path("id").asText();
    assertThat(placed.path("total").asText()).isEqualTo("489.98");
    assertThat(placed.path("currency").asText()).isEqualTo("EUR");
    assertThat(placed.path("lines")).hasSize(2);

    JsonNode visible = awaitOrder(id, o -> o.path("lines").size() == 2);
    assertThat(visible.path("status").asText()).isEqualTo("PLACED");
    assertThat(visible.path("total").asText()).isEqualTo("489.98");
    assertThat(visible.path("customerId").asText()).isEqualTo(customerId);
    assertThat(visible.at("/warehouse/code").asText()).isNotBlank();
    assertThat(visible.path("shipment").isNull()).isTrue();

    JsonNode cancelled =
        distribution.data(
            "mutation($id: ID!) { cancelOrder(id: $id) { status } }", Map.of("id", id));
    assertThat(cancelled.at("/cancelOrder/status").asText()).isEqualTo("CANCELLED");
    awaitOrder(id, o -> o.path("status").asText().equals("CANCELLED"));

    JsonNode again =
        distribution.execute(
            "mutation($id: ID!) { shipOrder(id: $id, carrier: \"DHL\") { status } }",
            Map.of("id", id));
    assertThat(again.at("/errors/0/extensions/field").asText()).isEqualTo("id");
  }

  @Test
  void inventorySetInDistributionReachesTheWarehouseThroughChangeDataCapture() {
    JsonNode set =
        distribution
            .data(
                "mutation($w: ID!) { setInventory(warehouseId: $w, sku: \"GLOBE-30\","
                    + " quantityOnHand: 42) { id sku quantityOnHand } }",
                Map.of("w", warehouseId))
            .path("setInventory");
    assertThat(set.path("quantityOnHand").asInt()).isEqualTo(42);
    String query = "{ warehouses { id inventory { id sku quantityOnHand } } }";
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> stock(distribution.data(query, Map.of()), "GLOBE-30") == 42);
    distribution.data(
        "mutation($w: ID!) { setInventory(warehouseId: $w, sku: \"GLOBE-30\", quantityOnHand: 7) {"
            + " id } }",
        Map.of("w", warehouseId));
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> stock(distribution.data(query, Map.of()), "GLOBE-30") == 7);
    // The sample stock came the same way.
    assertThat(stock(distribution.data(query, Map.of()), "LAMP-LED")).isGreaterThanOrEqualTo(0);

    JsonNode negative =
        distribution.execute(
            "mutation($w: ID!) { setInventory(warehouseId: $w, sku: \"GLOBE-30\","
                + " quantityOnHand: -1) { id } }",
            Map.of("w", warehouseId));
    assertThat(negative.at("/errors/0/extensions/field").asText()).isEqualTo("quantityOnHand");
    JsonNode unknown =
        distribution.execute(
            "mutation { setInventory(warehouseId: \""
                + UUID.randomUUID()
                + "\", sku: \"GLOBE-30\", quantityOnHand: 1) { id } }",
            Map.of());
    assertThat(unknown.at("/errors/0/extensions/field").asText()).isEqualTo("warehouseId");
  }

  private static int stock(JsonNode data, String sku) {
    for (JsonNode warehouse : data.path("warehouses")) {
      if (!warehouse.path("id").asText().equals(warehouseId)) {
        continue;
      }
      for (JsonNode item : warehouse.path("inventory")) {
        if (item.path("sku").asText().equals(sku)) {
          return item.path("quantityOnHand").asInt();
        }
      }
    }
    return -1;
  }

  @Test
  void shippedOrderGetsItsShipment() {
    String id =
        distribution
            .data(
                PLACE,
                Map.of(
                    "input",
                    order(
                        UUID.randomUUID().toString(),
                        "USD",
                        List.of(Map.of("sku", "PEN-GEL", "quantity", 10, "unitPrice", "1.50")))))
            .at("/placeOrder/id")
            .asText();
    JsonNode shipped =
        distribution.data(
            "mutation($id: ID!) { shipOrder(id: $id, carrier: \"UPS\") { status } }",
            Map.of("id", id));
    assertThat(shipped.at("/shipOrder/status").asText()).isEqualTo("SHIPPED");
    JsonNode visible =
        awaitOrder(
            id, o -> !o.path("shipment").isNull() && o.path("status").asText().equals("SHIPPED"));
    assertThat(visible.at("/shipment/carrier").asText()).isEqualTo("UPS");
    assertThat(visible.at("/shipment/status").asText()).isEqualTo("IN_TRANSIT");
  }

  static Stream<Arguments> invalidInputs() {
    String customer = UUID.randomUUID().toString();
    Map<String, Object> line = Map.of("sku", "PEN-GEL", "quantity", 1, "unitPrice", "1.00");
    return Stream.of(
        Arguments.of(order("42", "EUR", List.of(line)), "input.customerId"),
        Arguments.of(
            withWarehouse(order(customer, "EUR", List.of(line)), UUID.randomUUID().toString()),
            "input.warehouseId"),
        Arguments.of(order(customer, "EURO", List.of(line)), "input.currency"),
        Arguments.of(order(customer, "EUR", List.of()), "input.lines"),
        Arguments.of(
            order(
                customer,
                "EUR",
                List.of(line, Map.of("sku", "A", "quantity", 0, "unitPrice", "1"))),
            "input.lines[1].quantity"),
        Arguments.of(
            order(
                customer, "EUR", List.of(Map.of("sku", "A", "quantity", 1, "unitPrice", "1.999"))),
            "input.lines[0].unitPrice"),
        Arguments.of(
            order(customer, "EUR", List.of(Map.of("sku", " ", "quantity", 1, "unitPrice", "1"))),
            "input.lines[0].sku"));
  }

  @ParameterizedTest
  @MethodSource("invalidInputs")
  void invalidInputIsAnErrorNamingTheFieldAndWritesNothing(Map<String, Object> input, String field)
      throws SQLException {
    int before = operationalCount();
    JsonNode response = distribution.execute(PLACE, Map.of("input", input));
    assertThat(response.path("errors")).hasSize(1);
    JsonNode error = response.path("errors").get(0);
    assertThat(error.at("/extensions/field").asText()).isEqualTo(field);
    assertThat(error.path("message").asText()).startsWith(field + ":");
    assertThat(response.path("data").isNull()).isTrue();
    assertThat(operationalCount()).isEqualTo(before);
  }

  @Test
  void theGatewayJoinsASalesCustomerToItsDistributionOrders() {
    String customerId =
        UUID.nameUUIDFromBytes("meshgate-sample-customer-7".getBytes(StandardCharsets.UTF_8))
            .toString();
    String id =
        distribution
            .data(
                PLACE,
                Map.of(
                    "input",
                    order(
                        customerId,
                        "EUR",
                        List.of(
                            Map.of("sku", "MONITOR-27", "quantity", 1, "unitPrice", "299.00")))))
            .at("/placeOrder/id")
            .asText();
    awaitOrder(id, o -> true);

    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    String query = "query($id: ID!) { customer(id: $id) { name orders { id status total } } }";
    JsonNode[] customer = new JsonNode[1];
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              customer[0] = gateway.data(query, Map.of("id", customerId)).path("customer");
              return !customer[0].isNull();
            });
    assertThat(customer[0].path("name").asText()).isNotBlank();
    assertThat(customer[0].path("orders").findValuesAsText("id")).contains(id);
    JsonNode mine =
        Stream.of(customer[0].path("orders"))
            .flatMap(o -> java.util.stream.StreamSupport.stream(o.spliterator(), false))
            .filter(o -> o.path("id").asText().equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(mine.path("status").asText()).isEqualTo("PLACED");
    assertThat(mine.path("total").asText()).isEqualTo("299.00");
  }

  @Test
  void distributionKeepsItsOwnReplicaOfSalesCustomersFedFromTheirChangeTopic() {
    GraphQlClient sales = new GraphQlClient(mesh.salesUrl().resolve("/graphql"));
    String customerId =
        sales
            .data(
                """
                mutation { upsertCustomer(input: {name: "Replica Probe", email: "probe@example.com", country: "PT",
                  segment: CONSUMER}) { id } }\
                """,
                Map.of())
            .at("/upsertCustomer/id")
            .asText();
    String orderId =
        distribution
            .data(
                PLACE,
                Map.of(
                    "input",
                    order(
                        customerId,
                        "EUR",
                        List.of(Map.of("sku", "SKU-REPLICA", "quantity", 1, "unitPrice", "5.00")))))
            .at("/placeOrder/id")
            .asText();
    String country = "query($id: ID!) { order(id: $id) { destinationCountry } }";
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                "PT"
                    .equals(
                        distribution
                            .data(country, Map.of("id", orderId))
                            .at("/order/destinationCountry")
                            .asText()));

    // The customer moves: sales' change reaches distribution's replica through Kafka.
    sales.data(
        """
        mutation($id: ID!) { upsertCustomer(input: {id: $id, name: "Replica Probe", email: "probe@example.com",
          country: "ES", segment: CONSUMER}) { id } }\
        """,
        Map.of("id", customerId));
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                "ES"
                    .equals(
                        distribution
                            .data(country, Map.of("id", orderId))
                            .at("/order/destinationCountry")
                            .asText()));
  }

  @Test
  void shippingEstimateRequiresTheCustomersCountryFromSalesThroughTheGateway() throws Exception {
    GraphQlClient sales = new GraphQlClient(mesh.salesUrl().resolve("/graphql"));
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    JsonNode warehouse =
        distribution.data("{ warehouses { id country } }", Map.of()).at("/warehouses/0");
    String local =
        sales
            .data(
                "mutation($c: String!) { upsertCustomer(input: {name: \"Near\", email:"
                    + " \"near@example.com\", country: $c, segment: CONSUMER}) { id } }",
                Map.of("c", warehouse.path("country").asText()))
            .at("/upsertCustomer/id")
            .asText();
    String overseas =
        sales
            .data(
                "mutation { upsertCustomer(input: {name: \"Far\", email: \"far@example.com\","
                    + " country: \"NZ\", segment: CONSUMER}) { id } }",
                Map.of())
            .at("/upsertCustomer/id")
            .asText();
    for (String customer : List.of(local, overseas)) {
      Map<String, Object> input =
          new java.util.HashMap<>(
              order(
                  customer,
                  "EUR",
                  List.of(Map.of("sku", "SKU-EST", "quantity", 1, "unitPrice", "1.00"))));
      input.put("warehouseId", warehouse.path("id").asText());
      distribution.data(PLACE, Map.of("input", input));
    }
    String query =
        "query($id: ID!) { customer(id: $id) { country orders { shippingEstimateDays } } }";
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                gateway
                        .data(query, Map.of("id", local))
                        .at("/customer/orders/0/shippingEstimateDays")
                        .asInt(-1)
                    == 2);
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                gateway
                        .data(query, Map.of("id", overseas))
                        .at("/customer/orders/0/shippingEstimateDays")
                        .asInt(-1)
                    == 7);

    // The gateway sends the country it fetched from sales in the representation.
    java.net.http.HttpResponse<String> planned =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(mesh.gatewayUrl().resolve("/graphql"))
                    .header("Content-Type", "application/json")
                    .header("X-Meshgate-Query-Plan", "true")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"query\":\"{ order(id: \\\""
                                + java.util.UUID.randomUUID()
                                + "\\\") { shippingEstimateDays } }\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(planned.body())
        .contains("customer{__typename country}")
        .contains("\"serviceName\":\"sales\"");
  }

  private static Map<String, Object> order(
      String customerId, String currency, List<Map<String, Object>> lines) {
    return withWarehouse(
        Map.of("customerId", customerId, "currency", currency, "lines", lines),
        sampleWarehouseId());
  }

  private static Map<String, Object> withWarehouse(Map<String, Object> input, String warehouse) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(input);
    copy.put("warehouseId", warehouse);
    return copy;
  }

  /**
   * Parameter sources run before {@code @BeforeAll}: they use the sample warehouse's derived id.
   */
  private static String sampleWarehouseId() {
    return warehouseId != null
        ? warehouseId
        : UUID.nameUUIDFromBytes(
                "meshgate-sample-warehouse-DE-FRA-1".getBytes(StandardCharsets.UTF_8))
            .toString();
  }

  private static JsonNode awaitOrder(String id, Predicate<JsonNode> condition) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              JsonNode order = distribution.data(GET, Map.of("id", id)).path("order");
              found[0] = order;
              return !order.isNull() && condition.test(order);
            });
    return found[0];
  }

  private static int operationalCount() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                mesh.jdbcUrl("distribution"), mesh.user(), mesh.password());
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM distribution.orders) + (SELECT count(*) FROM"
                        + " distribution.order_lines)")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
