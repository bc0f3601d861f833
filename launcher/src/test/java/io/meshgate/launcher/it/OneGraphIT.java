package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.gateway.auth.LocalSigningKey;
import io.meshgate.launcher.Mesh;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The mesh as one graph: a customer created in sales, an order placed and shipped in distribution,
 * invoiced and debited by finance on its own, all read back in one query through the gateway.
 */
class OneGraphIT {

  private static final Duration SETTLED = Duration.ofSeconds(60);
  private static final String ONE_QUERY =
      """
      query($id: ID!) { customer(id: $id) {
        name country balance
        orders { id status total shippingEstimateDays destinationCountry
                 shipment { carrier status } invoice { status amount } ledgerTransactions { kind amount } }
        shipments { carrier status }
        accounts { currency balance transactions(first: 5) { kind amount reference } } } }\
      """;

  @Test
  void oneQueryReturnsACustomerWithOrdersShipmentsInvoicesAccountsBalancesAndTransactions() {
    Mesh mesh = SharedMesh.get();
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    await()
        .atMost(SETTLED)
        .until(
            () -> gateway.data("{ warehouses { id } }", Map.of()).path("warehouses").size() == 3);
    String warehouse =
        gateway.data("{ warehouses { id } }", Map.of()).at("/warehouses/0/id").asText();

    String customer =
        gateway
            .data(
                "mutation($input: CustomerInput!) { upsertCustomer(input: $input) { id } }",
                Map.of(
                    "input",
                    Map.of(
                        "name",
                        "Grace Hopper",
                        "email",
                        "grace@example.com",
                        "country",
                        "US",
                        "segment",
                        "ENTERPRISE")))
            .at("/upsertCustomer/id")
            .asText();
    // Distribution learns the customer's country from sales' topic before the order ships anywhere.
    await()
        .atMost(SETTLED)
        .until(
            () ->
                !gateway
                    .data("query($id: ID!) { customer(id: $id) { id } }", Map.of("id", customer))
                    .path("customer")
                    .isNull());
    String order =
        gateway
            .data(
                "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }",
                Map.of(
                    "input",
                    Map.of(
                        "customerId",
                        customer,
                        "warehouseId",
                        warehouse,
                        "currency",
                        "USD",
                        "lines",
                        List.of(Map.of("sku", "COMPILER", "quantity", 2, "unitPrice", "61.25")))))
            .at("/placeOrder/id")
            .asText();
    await()
        .atMost(SETTLED)
        .until(
            () ->
                !gateway
                    .data("query($id: ID!) { order(id: $id) { id } }", Map.of("id", order))
                    .path("order")
                    .isNull());
    gateway.data(
        "mutation($id: ID!) { shipOrder(id: $id, carrier: \"FedEx\") { id } }",
        Map.of("id", order));

    JsonNode[] seen = new JsonNode[1];
    await()
        .atMost(SETTLED)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              seen[0] = gateway.data(ONE_QUERY, Map.of("id", customer)).path("customer");
              JsonNode placed = seen[0].at("/orders/0");
              return placed.at("/shipment/status").asText().equals("IN_TRANSIT")
                  && placed.path("ledgerTransactions").size() == 1
                  && seen[0].at("/accounts/0/transactions").size() == 1
                  && placed.path("destinationCountry").asText().equals("US");
            });
    JsonNode c = seen[0];
    assertThat(c.path("name").asText()).isEqualTo("Grace Hopper");
    JsonNode placed = c.at("/orders/0");
    assertThat(placed.path("id").asText()).isEqualTo(order);
    assertThat(placed.path("status").asText()).isEqualTo("SHIPPED");
    assertThat(placed.path("total").asText()).isEqualTo("122.50");
    assertThat(placed.path("shippingEstimateDays").isInt()).isTrue();
    assertThat(placed.at("/shipment/carrier").asText()).isEqualTo("FedEx");
    assertThat(placed.at("/invoice/amount").asText()).isEqualTo("122.50");
    assertThat(placed.at("/ledgerTransactions/0/kind").asText()).isEqualTo("DEBIT");
    assertThat(c.at("/shipments/0/carrier").asText()).isEqualTo("FedEx");
    assertThat(c.at("/accounts/0/currency").asText()).isEqualTo("USD");
    assertThat(c.at("/accounts/0/transactions/0/amount").asText()).isEqualTo("122.50");
    assertThat(c.at("/accounts/0/transactions/0/reference").asText()).isEqualTo("order " + order);
    assertThat(new BigDecimal(c.path("balance").asText()))
        .isEqualByComparingTo(new BigDecimal(c.at("/accounts/0/balance").asText()));
  }

  @Test
  void theOperationGraphiqlOpensWithAnswersFromEveryProduct() throws Exception {
    Mesh mesh = SharedMesh.get();
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    JsonNode[] seen = new JsonNode[1];
    await()
        .atMost(SETTLED)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              seen[0] = gateway.data(Mesh.GRAPHIQL_EXAMPLE, Map.of()).path("customer");
              return !seen[0].isMissingNode()
                  && !seen[0].isNull()
                  && seen[0].path("accounts").size() > 0;
            });
    assertThat(seen[0].path("name").asText()).isNotBlank();
    assertThat(seen[0].path("orders").isArray()).isTrue();
    assertThat(seen[0].path("balance").isNull()).isFalse();
    String page =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(mesh.gatewayUrl().resolve("/graphiql"))
                    .GET()
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(page).contains("query CustomerAcrossProducts");
  }

  // The embedded gateway verifies tokens signed by the key the mesh keeps under its data
  // directory (what ./meshgate token prints), and serves callers without one as anonymous.
  private static final ObjectMapper AUTH_JSON = new ObjectMapper();
  private static final HttpClient AUTH_HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> postAs(Mesh mesh, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(mesh.gatewayUrl().resolve("/graphql"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ warehouses { id } }\"}"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return AUTH_HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTokenFromTheMeshsOwnKeyIsAcceptedAndAForgedOneRefused() throws Exception {
    Mesh mesh = SharedMesh.get();
    String token =
        LocalSigningKey.load(mesh.dataDir().resolve("auth"))
            .issue("alice", Set.of("sales:read"), Duration.ofMinutes(5));
    HttpResponse<String> alice = postAs(mesh, "Bearer " + token);
    assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
    assertThat(AUTH_JSON.readTree(alice.body()).has("data")).isTrue();

    assertThat(postAs(mesh, null).statusCode()).isEqualTo(200);

    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    HttpResponse<String> refused = postAs(mesh, "Bearer " + forged);
    assertThat(refused.statusCode()).isEqualTo(401);
    JsonNode body = AUTH_JSON.readTree(refused.body());
    assertThat(body.at("/errors/0/extensions/code").asText()).isEqualTo("UNAUTHENTICATED");
  }
}
