package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.meshgate.launcher.Mesh;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An account opened and booked through the finance subgraph comes back only through CDC, Kafka and
 * the read model, with its balance computed there; the gateway joins a sales customer to its
 * finance accounts.
 */
class FinanceFlowIT {

  private static final Duration VISIBLE = Duration.ofSeconds(30);
  private static final String OPEN =
      """
      mutation($input: OpenAccountInput!) { openAccount(input: $input) { id customerId currency balance } }\
      """;
  private static final String POST =
      """
      mutation($input: PostTransactionInput!) { postTransaction(input: $input) {
        id kind amount currency reference account { id } } }\
      """;
  private static final String GET =
      """
      query($id: ID!) { account(id: $id) { id customerId currency balance
        transactions { id kind amount currency reference bookedAt } } }\
      """;

  private static final String SAMPLE_ACCOUNT =
      UUID.nameUUIDFromBytes("meshgate-sample-account-0".getBytes(StandardCharsets.UTF_8))
          .toString();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Mesh mesh;
  private static GraphQlClient finance;

  @BeforeAll
  static void startMesh() {
    mesh = SharedMesh.get();
    finance = new GraphQlClient(mesh.productUrl("finance").resolve("/graphql"));
  }

  @Test
  void openedAccountAndPostedTransactionsFlowThroughChangeDataCaptureWithTheirBalance() {
    String customerId = UUID.randomUUID().toString();
    JsonNode opened =
        finance
            .data(OPEN, Map.of("input", Map.of("customerId", customerId, "currency", "eur")))
            .path("openAccount");
    String id = opened.path("id").asText();
    assertThat(opened.path("currency").asText()).isEqualTo("EUR");
    assertThat(opened.path("customerId").asText()).isEqualTo(customerId);

    JsonNode credit =
        finance
            .data(POST, Map.of("input", transaction(id, "CREDIT", "100", "deposit")))
            .path("postTransaction");
    assertThat(credit.path("amount").asText()).isEqualTo("100.00");
    assertThat(credit.path("currency").asText()).isEqualTo("EUR");
    assertThat(credit.at("/account/id").asText()).isEqualTo(id);
    String debitId =
        finance
            .data(POST, Map.of("input", transaction(id, "DEBIT", "30.50", "coffee machine")))
            .at("/postTransaction/id")
            .asText();

    JsonNode visible = awaitAccount(id, a -> a.path("transactions").size() == 2);
    assertThat(visible.path("balance").asText()).isEqualTo("69.50");
    assertThat(visible.path("customerId").asText()).isEqualTo(customerId);
    assertThat(visible.at("/transactions/0/id").asText()).isEqualTo(debitId);
    assertThat(visible.at("/transactions/0/kind").asText()).isEqualTo("DEBIT");
    assertThat(visible.at("/transactions/0/reference").asText()).isEqualTo("coffee machine");
    assertThat(visible.at("/transactions/1/kind").asText()).isEqualTo("CREDIT");

    finance.data(POST, Map.of("input", transaction(id, "DEBIT", "100", "overdraft")));
    JsonNode overdrawn = awaitAccount(id, a -> a.path("transactions").size() == 3);
    assertThat(overdrawn.path("balance").asText()).isEqualTo("-30.50");
  }

  static Stream<Arguments> invalidTransactions() {
    String sampleAccount =
        UUID.nameUUIDFromBytes("meshgate-sample-account-0".getBytes(StandardCharsets.UTF_8))
            .toString();
    return Stream.of(
        Arguments.of(
            transaction(UUID.randomUUID().toString(), "CREDIT", "10.00", "unknown"),
            "input.accountId"),
        Arguments.of(transaction("not-an-id", "CREDIT", "10.00", "bad id"), "input.accountId"),
        Arguments.of(transaction(sampleAccount, "DEBIT", "-5.00", "negative"), "input.amount"),
        Arguments.of(transaction(sampleAccount, "DEBIT", "0", "zero"), "input.amount"),
        Arguments.of(
            transaction(sampleAccount, "DEBIT", "1.999", "three decimals"), "input.amount"),
        Arguments.of(transaction(sampleAccount, "CREDIT", "1.00", " "), "input.reference"));
  }

  @ParameterizedTest
  @MethodSource("invalidTransactions")
  void invalidTransactionIsAnErrorNamingTheFieldAndWritesNothing(
      Map<String, Object> input, String field) throws SQLException {
    int before = operationalCount();
    JsonNode response = finance.execute(POST, Map.of("input", input));
    assertThat(response.path("errors")).hasSize(1);
    JsonNode error = response.path("errors").get(0);
    assertThat(error.at("/extensions/field").asText()).isEqualTo(field);
    assertThat(error.path("message").asText()).startsWith(field + ":");
    assertThat(response.path("data").isNull()).isTrue();
    assertThat(operationalCount()).isEqualTo(before);
  }

  @Test
  void payingAnUnknownInvoiceIsNotFound() {
    JsonNode response =
        finance.execute(
            "mutation($id: ID!) { payInvoice(id: $id) { status } }",
            Map.of("id", UUID.randomUUID().toString()));
    assertThat(response.at("/errors/0/extensions/field").asText()).isEqualTo("id");
  }

  @Test
  void theGatewayJoinsASalesCustomerToItsFinanceAccounts() {
    String customerId =
        UUID.nameUUIDFromBytes("meshgate-sample-customer-0".getBytes(StandardCharsets.UTF_8))
            .toString();
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    String query =
        "query($id: ID!) { customer(id: $id) { name balance accounts { currency balance } } }";
    JsonNode[] customer = new JsonNode[1];
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              customer[0] = gateway.data(query, Map.of("id", customerId)).path("customer");
              return !customer[0].isNull() && customer[0].path("accounts").size() > 0;
            });
    assertThat(customer[0].path("name").asText()).isNotBlank();
    assertThat(customer[0].path("accounts")).hasSize(1);
    assertThat(customer[0].at("/accounts/0/currency").asText()).isEqualTo("EUR");
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode account : customer[0].path("accounts")) {
      sum = sum.add(new BigDecimal(account.path("balance").asText()));
    }
    assertThat(customer[0].path("balance").asText()).isEqualTo(sum.setScale(2).toPlainString());
  }

  // --- Limits: the finance subgraph bounds every request itself; it is reachable without the
  // gateway.

  @Test
  void aBodyOverTheLimitIsRefusedWith413BeforeItIsRead() throws Exception {
    byte[] body =
        ("{\"query\":\"{ __typename }\",\"variables\":{\"padding\":\""
                + "x".repeat(600 * 1024)
                + "\"}}")
            .getBytes(StandardCharsets.UTF_8);

    HttpResponse<String> declared = post(HttpRequest.BodyPublishers.ofByteArray(body));
    // a body of unknown length (chunked) is cut off at the limit too
    HttpResponse<String> chunked =
        post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

    for (HttpResponse<String> response : List.of(declared, chunked)) {
      assertThat(response.statusCode()).isEqualTo(413);
      JsonNode error = JSON.readTree(response.body()).at("/errors/0");
      assertThat(error.at("/extensions/code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
      assertThat(error.path("message").asText()).contains("524288 bytes");
    }
  }

  @Test
  void anOperationDeeperThanTheLimitIsRefusedBeforeItRuns() {
    String deep =
        "{ account(id: \""
            + SAMPLE_ACCOUNT
            + "\") { "
            + "transactions(first: 1) { account { ".repeat(20)
            + "id"
            + " } }".repeat(20)
            + " } }";

    JsonNode response = finance.execute(deep);
    assertThat(response.path("errors")).hasSize(1);
    assertThat(response.at("/errors/0/extensions/code").asText()).isEqualTo("MAX_DEPTH_EXCEEDED");
    assertThat(response.at("/errors/0/message").asText())
        .contains("42 deep")
        .contains("limit is 32");
    assertThat(response.path("data").isMissingNode() || response.path("data").isNull()).isTrue();
  }

  @Test
  void theTransactionsAccountCycleIsRefusedWithItsEstimatedCost() {
    JsonNode response =
        finance.execute(
            """
            query($id: ID!) { account(id: $id) {
              transactions(first: 500) { account { transactions(first: 500) { id amount } } } } }\
            """,
            Map.of("id", SAMPLE_ACCOUNT));

    assertThat(response.path("errors")).hasSize(1);
    assertThat(response.at("/errors/0/extensions/code").asText()).isEqualTo("COST_LIMIT_EXCEEDED");
    assertThat(response.at("/errors/0/message").asText()).contains("251001").contains("200000");
    assertThat(response.path("data").isMissingNode() || response.path("data").isNull()).isTrue();
  }

  @Test
  void aFullPageWithNestedObjectsIsStillServed() {
    JsonNode page =
        finance.data(
            "{ invoices(first: 500) { edges { node { id account { id transactions(first: 5) { id }"
                + " } } } } }",
            Map.of());
    assertThat(page.at("/invoices/edges").isArray()).isTrue();
  }

  @Test
  void aBusyDatabaseIsAnsweredQuicklyAsUnavailableNotAsAnInternalError() throws Exception {
    HikariDataSource pool =
        mesh.product("finance").getBean(DataSource.class).unwrap(HikariDataSource.class);
    List<Connection> held = new ArrayList<>();
    try {
      // Take every connection of the pool; the mesh's own consumers may hold one for a moment.
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (held.size() < pool.getMaximumPoolSize()) {
        assertThat(System.nanoTime()).as("every connection taken within 60 s").isLessThan(deadline);
        try {
          held.add(pool.getConnection());
        } catch (SQLTransientConnectionException busy) {
          // someone else had the last one for a moment: try again
        }
      }

      JsonNode response =
          assertTimeoutPreemptively(
              Duration.ofSeconds(15), () -> finance.execute(GET, Map.of("id", SAMPLE_ACCOUNT)));
      assertThat(response.path("errors")).isNotEmpty();
      assertThat(response.at("/errors/0/extensions/code").asText())
          .isEqualTo("SERVICE_UNAVAILABLE");
      assertThat(response.at("/errors/0/message").asText()).contains("database is busy");
      assertThat(response.toString()).doesNotContain("INTERNAL_ERROR");
    } finally {
      for (Connection connection : held) {
        connection.close();
      }
    }
    assertThat(finance.data(GET, Map.of("id", SAMPLE_ACCOUNT)).at("/account/id").asText())
        .isEqualTo(SAMPLE_ACCOUNT);
  }

  // --- Whatever it is sent, the finance subgraph answers as GraphQL over HTTP: a status and a
  // coded error.

  /**
   * A request as a client may send it to a subgraph, and what it must be answered.
   *
   * @param contentType null sends none
   * @param accept null sends none
   * @param body null sends a GET (with {@code rawQuery} as its query string)
   */
  record Hostile(
      String name,
      @Nullable String contentType,
      @Nullable String accept,
      @Nullable String body,
      String rawQuery,
      int status,
      String code,
      String says) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String TYPENAME = "{\"query\":\"{ __typename }\"}";

  static Stream<Hostile> hostileRequests() {
    String json = "application/json";
    return Stream.of(
        new Hostile(
            "bad JSON",
            json,
            json,
            "{\"query\": \"{ __typename }\"",
            "",
            400,
            "BAD_REQUEST",
            "not valid JSON"),
        new Hostile(
            "the JSON body null",
            json,
            json,
            "null",
            "",
            400,
            "BAD_REQUEST",
            "must be a JSON object, not null"),
        new Hostile("a batch", json, json, "[" + TYPENAME + "]", "", 400, "BAD_REQUEST", "a batch"),
        new Hostile(
            "a query that is no string",
            json,
            json,
            "{\"query\": 42}",
            "",
            400,
            "BAD_REQUEST",
            "\"query\" must be a string"),
        new Hostile(
            "variables that are no object",
            json,
            json,
            "{\"query\": \"{ __typename }\", \"variables\": [1]}",
            "",
            400,
            "BAD_REQUEST",
            "\"variables\" must be an object or null"),
        new Hostile(
            "an empty body", json, json, "", "", 400, "BAD_REQUEST", "the request body is empty"),
        new Hostile(
            "bad JSON, graphql-response accepted",
            json,
            "application/graphql-response+json",
            "{",
            "",
            400,
            "BAD_REQUEST",
            "not valid JSON"),
        new Hostile(
            "a GET query",
            null,
            json,
            null,
            "query=%7B__typename%7D",
            405,
            "METHOD_NOT_ALLOWED",
            "GET is not supported"),
        new Hostile(
            "a GET mutation",
            null,
            json,
            null,
            "query=mutation%7BopenAccount%7Bid%7D%7D",
            405,
            "METHOD_NOT_ALLOWED",
            "GET is not supported"),
        new Hostile(
            "a GET of 100 KB",
            null,
            json,
            null,
            "query=" + "x".repeat(100_000),
            400,
            "BAD_REQUEST",
            "request line or headers"),
        new Hostile(
            "text/plain",
            "text/plain",
            json,
            TYPENAME,
            "",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "text/plain is not read here"),
        new Hostile(
            "a form",
            "application/x-www-form-urlencoded",
            json,
            "query=%7B__typename%7D",
            "",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "application/x-www-form-urlencoded is not read here"),
        new Hostile(
            "multipart",
            "multipart/form-data; boundary=b",
            json,
            "--b\r\n\r\n--b--",
            "",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "multipart/form-data is not read here"),
        new Hostile(
            "no content type",
            null,
            json,
            TYPENAME,
            "",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "no Content-Type"),
        new Hostile(
            "a wildcard content type",
            "*/*",
            json,
            TYPENAME,
            "",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "*/* is not read here"),
        new Hostile(
            "an unreadable content type",
            "application/",
            json,
            TYPENAME,
            "",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "cannot be read"),
        new Hostile(
            "JSON in latin-1",
            "application/json; charset=ISO-8859-1",
            json,
            TYPENAME,
            "",
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "must be UTF-8"),
        new Hostile(
            "only HTML accepted", json, "text/html", TYPENAME, "", 406, "NOT_ACCEPTABLE", "Accept"),
        new Hostile(
            "a syntax error",
            json,
            json,
            "{\"query\": \"{ __typename\"}",
            "",
            200,
            "GRAPHQL_PARSE_FAILED",
            "Invalid syntax"),
        new Hostile(
            "an unknown field",
            json,
            json,
            "{\"query\": \"{ iban }\"}",
            "",
            200,
            "GRAPHQL_VALIDATION_FAILED",
            "iban"),
        new Hostile(
            "a syntax error, graphql-response accepted",
            json,
            "application/graphql-response+json",
            "{\"query\": \"{ __typename\"}",
            "",
            400,
            "GRAPHQL_PARSE_FAILED",
            "Invalid syntax"),
        new Hostile(
            "an introspection in bad faith",
            json,
            json,
            "{\"query\": \"{ __schema { types { fields { type { fields { type { fields { name } } }"
                + " } } } } }\"}",
            "",
            200,
            "INTROSPECTION_LIMIT_EXCEEDED",
            "introspection"),
        new Hostile(
            "_entities of a number",
            json,
            json,
            "{\"query\": \"{ _entities(representations: 0.0) { __typename } }\"}",
            "",
            200,
            "BAD_USER_INPUT",
            "item 0 (counting from 0) is a number"),
        new Hostile(
            "_entities of a string",
            json,
            json,
            "{\"query\": \"{ _entities(representations: [\\\"Account\\\"]) { __typename } }\"}",
            "",
            200,
            "BAD_USER_INPUT",
            "item 0 (counting from 0) is a string"),
        new Hostile(
            "_entities of no entity type",
            json,
            json,
            "{\"query\": \"{ _entities(representations: [{__typename: \\\"Ledger\\\", id:"
                + " \\\"1\\\"}]) { __typename } }\"}",
            "",
            200,
            "BAD_USER_INPUT",
            "'Ledger', which is not an entity type"),
        new Hostile(
            "1,101 root fields",
            json,
            json,
            "{\"query\": \"{ "
                + java.util.stream.IntStream.range(0, 1_101)
                    .mapToObj(i -> "a" + i + ": __typename")
                    .collect(java.util.stream.Collectors.joining(" "))
                + " }\"}",
            "",
            200,
            "MAX_ALIASES_EXCEEDED",
            "1101 root fields"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileRequests")
  void anyRequestIsAnsweredAsGraphQlWithAStatusAndACodedError(Hostile hostile) throws Exception {
    URI endpoint =
        mesh.productUrl("finance")
            .resolve("/graphql" + (hostile.rawQuery().isEmpty() ? "" : "?" + hostile.rawQuery()));
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30));
    if (hostile.contentType() != null) {
      request.header("Content-Type", hostile.contentType());
    }
    if (hostile.accept() != null) {
      request.header("Accept", hostile.accept());
    }
    request.method(
        hostile.body() == null ? "GET" : "POST",
        hostile.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(hostile.body()));

    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(hostile.status());
    String expectedType =
        "application/graphql-response+json".equals(hostile.accept())
            ? "application/graphql-response+json"
            : "application/json";
    assertThat(response.headers().firstValue("Content-Type"))
        .get(InstanceOfAssertFactories.STRING)
        .startsWith(expectedType);
    JsonNode error = JSON.readTree(response.body()).at("/errors/0");
    assertThat(error.at("/extensions/code").asText()).as(response.body()).isEqualTo(hostile.code());
    assertThat(error.path("message").asText())
        .contains(hostile.says())
        .doesNotContain("Exception", "java.");
    if (hostile.status() == 405) {
      assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }
    if (hostile.name().startsWith("_entities")) {
      assertThat(error.at("/extensions/field").asText()).isEqualTo("representations");
      assertThat(error.path("message").asText()).contains("item 0");
    }
  }

  @Test
  void anApplicationGraphqlBodyIsTakenAsTheQueryText() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(mesh.productUrl("finance").resolve("/graphql"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/graphql")
            .POST(HttpRequest.BodyPublishers.ofString("{ __typename }"))
            .build();

    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/data/__typename").asText()).isEqualTo("Query");
  }

  private static HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(mesh.productUrl("finance").resolve("/graphql"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(body)
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> transaction(
      String accountId, String kind, String amount, String reference) {
    return Map.of("accountId", accountId, "kind", kind, "amount", amount, "reference", reference);
  }

  private static JsonNode awaitAccount(String id, Predicate<JsonNode> condition) {
    JsonNode[] found = new JsonNode[1];
    await()
        .atMost(VISIBLE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              JsonNode account = finance.data(GET, Map.of("id", id)).path("account");
              found[0] = account;
              return !account.isNull() && condition.test(account);
            });
    return found[0];
  }

  private static int operationalCount() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(mesh.jdbcUrl("finance"), mesh.user(), mesh.password());
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM finance.accounts) + (SELECT count(*) FROM"
                        + " finance.ledger_transactions) + (SELECT count(*) FROM"
                        + " finance.invoices)")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
