package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.launcher.Mesh;
import io.meshgate.product.runtime.ProductPipeline;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Finance reacts to distribution's orders: one invoice and one ledger entry each, exactly once. */
class OrderToFinanceIT {

  private static final Duration BOOKED = Duration.ofSeconds(60);
  private static final String ORDER_TOPIC = "mesh.distribution.order.changes";
  private static final String PLACE =
      """
      mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }\
      """;

  private static Mesh mesh;
  private static GraphQlClient distribution;
  private static String warehouseId;

  @BeforeAll
  static void startMesh() {
    mesh = SharedMesh.get();
    distribution = new GraphQlClient(mesh.productUrl("distribution").resolve("/graphql"));
    await()
        .atMost(BOOKED)
        .until(
            () ->
                distribution.data("{ warehouses { id } }", Map.of()).path("warehouses").size()
                    == 3);
    warehouseId =
        distribution.data("{ warehouses { id } }", Map.of()).at("/warehouses/0/id").asText();
  }

  @Test
  void aPlacedOrderGetsExactlyOneInvoiceAndDebitEvenWhenItsEventsAreDeliveredTwice()
      throws Exception {
    String customer = UUID.randomUUID().toString();
    String order = place(customer, "42.50");
    await()
        .atMost(BOOKED)
        .until(() -> count("SELECT count(*) FROM finance.invoices WHERE order_id = ?", order) == 1);
    assertThat(debits(order)).isEqualTo(1);
    assertThat(amountOfInvoice(order)).isEqualTo("42.50");

    // The invoice is one graph with the order through the gateway.
    String invoice = invoiceIdOf(order);
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    await()
        .atMost(BOOKED)
        .until(
            () ->
                gateway
                    .data(
                        "query($id: ID!) { invoice(id: $id) { status order { id status } } }",
                        Map.of("id", invoice))
                    .at("/invoice/order/status")
                    .asText()
                    .equals("PLACED"));

    // Finance provides the order total it invoiced: the gateway does not ask distribution for it.
    java.net.http.HttpResponse<String> provided =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(mesh.gatewayUrl().resolve("/graphql"))
                    .header("Content-Type", "application/json")
                    .header("X-Meshgate-Query-Plan", "true")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"query\":\"{ invoice(id: \\\""
                                + invoice
                                + "\\\") { order { id total } } }\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(provided.body())
        .contains("\"total\":\"42.50\"")
        .doesNotContain("\"serviceName\":\"distribution\"");

    long appliedBefore = financePipeline().appliedFrom("distribution");
    int replayed = replayOrderEvents(order);
    assertThat(replayed).isGreaterThanOrEqualTo(1);
    await()
        .atMost(BOOKED)
        .until(() -> financePipeline().appliedFrom("distribution") >= appliedBefore + replayed);
    assertThat(count("SELECT count(*) FROM finance.invoices WHERE order_id = ?", order))
        .isEqualTo(1);
    assertThat(debits(order)).isEqualTo(1);

    distribution.data(
        "mutation($id: ID!) { cancelOrder(id: $id) { status } }", Map.of("id", order));
    await().atMost(BOOKED).until(() -> "VOID".equals(statusOfInvoice(order)));
    assertThat(
            count(
                "SELECT count(*) FROM finance.ledger_transactions WHERE reference = 'reversal of"
                    + " order ' || ?",
                order))
        .isEqualTo(1);
    long appliedNow = financePipeline().appliedFrom("distribution");
    int replayedAgain = replayOrderEvents(order);
    await()
        .atMost(BOOKED)
        .until(() -> financePipeline().appliedFrom("distribution") >= appliedNow + replayedAgain);
    assertThat(
            count(
                "SELECT count(*) FROM finance.ledger_transactions WHERE reference = 'reversal of"
                    + " order ' || ?",
                order))
        .isEqualTo(1);
    assertThat(debits(order)).isEqualTo(1);

    // Finance contributes what it did about the order to distribution's Order, through the gateway.
    await()
        .atMost(BOOKED)
        .untilAsserted(
            () -> {
              JsonNode seen =
                  gateway
                      .data(
                          "query($id: ID!) { order(id: $id) { status invoice { status amount }"
                              + " ledgerTransactions { kind amount } } }",
                          Map.of("id", order))
                      .path("order");
              assertThat(seen.path("status").asText()).isEqualTo("CANCELLED");
              assertThat(seen.at("/invoice/status").asText()).isEqualTo("VOID");
              assertThat(seen.path("ledgerTransactions").toString())
                  .isEqualTo(
                      "[{\"kind\":\"DEBIT\",\"amount\":\"42.50\"},{\"kind\":\"CREDIT\",\"amount\":\"42.50\"}]");
            });
  }

  @Test
  void financeRestartingInTheMiddleOfAStreamOfOrdersBooksEachExactlyOnce() throws Exception {
    String customer = UUID.randomUUID().toString();
    List<String> orders = new ArrayList<>();
    CompletableFuture<Void> restart = null;
    for (int i = 0; i < 30; i++) {
      if (i == 10) {
        ProductPipeline finance = financePipeline();
        restart =
            CompletableFuture.runAsync(
                () -> {
                  finance.stop();
                  sleep(300);
                  finance.start();
                });
      }
      orders.add(place(customer, (i + 1) + ".00"));
    }
    restart.get();
    await()
        .atMost(BOOKED)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                count(
                        "SELECT count(*) FROM finance.invoices i JOIN finance.accounts a ON a.id ="
                            + " i.account_id WHERE a.customer_id = ?::uuid",
                        customer)
                    == orders.size());
    for (String order : orders) {
      assertThat(count("SELECT count(*) FROM finance.invoices WHERE order_id = ?", order))
          .as(order)
          .isEqualTo(1);
      assertThat(debits(order)).as(order).isEqualTo(1);
    }
  }

  private static String place(String customer, String price) {
    Map<String, Object> input =
        Map.of(
            "customerId",
            customer,
            "warehouseId",
            warehouseId,
            "currency",
            "EUR",
            "lines",
            List.of(Map.of("sku", "SKU-FIN", "quantity", 1, "unitPrice", price)));
    return distribution.data(PLACE, Map.of("input", input)).at("/placeOrder/id").asText();
  }

  private static int replayOrderEvents(String order) throws Exception {
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-replay-" + UUID.randomUUID());
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(ORDER_TOPIC));
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline) {
        consumer
            .poll(Duration.ofMillis(200))
            .forEach(
                r -> {
                  if (order.equals(r.key())) {
                    found.add(r);
                  }
                });
      }
    }
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
      for (ConsumerRecord<String, byte[]> record : found) {
        producer.send(new ProducerRecord<>(ORDER_TOPIC, record.key(), record.value())).get();
      }
    }
    return found.size();
  }

  private static ProductPipeline financePipeline() {
    return mesh.product("finance").getBean(ProductPipeline.class);
  }

  private static int debits(String order) throws SQLException {
    return count(
        "SELECT count(*) FROM finance.ledger_transactions WHERE reference = 'order ' || ?", order);
  }

  private static String invoiceIdOf(String order) throws SQLException {
    return string("SELECT id::text FROM finance.invoices WHERE order_id = ?::uuid", order);
  }

  private static String amountOfInvoice(String order) throws SQLException {
    return string("SELECT amount::text FROM finance.invoices WHERE order_id = ?::uuid", order);
  }

  private static String statusOfInvoice(String order) throws SQLException {
    return string("SELECT status FROM finance.invoices WHERE order_id = ?::uuid", order);
  }

  private static int count(String sql, String parameter) throws SQLException {
    String fixed =
        sql.contains("order_id = ?") ? sql.replace("order_id = ?", "order_id = ?::uuid") : sql;
    return Integer.parseInt(string(fixed, parameter));
  }

  private static String string(String sql, String parameter) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(mesh.jdbcUrl("finance"), mesh.user(), mesh.password());
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
