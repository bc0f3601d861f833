package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.server.GatewayServer;
import io.meshgate.gateway.server.ServerOptions;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import io.meshgate.gateway.testkit.SubgraphServer;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** GraphQL over HTTP as clients use it, and what they see when a subgraph fails. */
class GatewayHttpIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static BenchmarkSubgraphs subgraphs;
  private static GatewayServer server;

  @BeforeAll
  static void start() throws Exception {
    subgraphs = BenchmarkSubgraphs.start();
    Gateway gateway =
        Gateway.fromSupergraph(
            subgraphs.supergraphSdl(),
            GatewayOptions.defaults().withSubgraphTimeout(Duration.ofMillis(1500)));
    server = GatewayServer.start("127.0.0.1", 0, new AtomicReference<>(gateway));
  }

  @AfterAll
  static void stop() {
    server.close();
    subgraphs.close();
  }

  @AfterEach
  void resetFaults() {
    subgraphs.servers().forEach(SubgraphServer::reset);
  }

  @Test
  void answersPostWithJson() throws Exception {
    HttpResponse<String> response =
        post("{\"query\":\"{ topProducts(first: 2) { upc name } }\"}", "application/json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(response.body())
        .isEqualTo(
            "{\"data\":{\"topProducts\":[{\"upc\":\"1\",\"name\":\"Table\"},{\"upc\":\"2\",\"name\":\"Couch\"}]}}");
  }

  @Test
  void answersGetWithQueryParameters() throws Exception {
    String query =
        URLEncoder.encode(
            "query($n: Int) { topProducts(first: $n) { name } }", StandardCharsets.UTF_8);
    String variables = URLEncoder.encode("{\"n\":1}", StandardCharsets.UTF_8);
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    server.url().resolve("/graphql?query=" + query + "&variables=" + variables))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/data/topProducts/0/name").asText())
        .isEqualTo("Table");
  }

  @Test
  void speaksGraphQlResponseJsonWithStatusCodesForRequestErrors() throws Exception {
    HttpResponse<String> invalid =
        post(
            "{\"query\":\"{ topProducts { noSuchField } }\"}", "application/graphql-response+json");
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(invalid.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/graphql-response+json"));
    JsonNode body = JSON.readTree(invalid.body());
    assertThat(body.has("data")).isFalse();
    assertThat(body.at("/errors/0/message").asText()).contains("noSuchField");
    assertThat(body.at("/errors/0/extensions/code").asText())
        .isEqualTo("GRAPHQL_VALIDATION_FAILED");
  }

  @Test
  void rejectsMalformedRequestsClearly() throws Exception {
    HttpResponse<String> notJson = post("{ nope", "application/json");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("not valid JSON");
    HttpResponse<String> noQuery = post("{\"variables\":{}}", "application/json");
    assertThat(noQuery.statusCode()).isEqualTo(400);
    assertThat(noQuery.body()).contains("no 'query'");
    HttpResponse<String> syntax = post("{\"query\":\"{ topProducts { \"}", "application/json");
    assertThat(JSON.readTree(syntax.body()).at("/errors/0/extensions/code").asText())
        .isEqualTo("GRAPHQL_PARSE_FAILED");
  }

  @Test
  void refusesMutationsOverGet() throws Exception {
    String query = URLEncoder.encode("mutation { __typename }", StandardCharsets.UTF_8);
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(server.url().resolve("/graphql?query=" + query))
                .header("Accept", "application/graphql-response+json")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isIn(400, 405);
    assertThat(JSON.readTree(response.body()).has("data")).isFalse();
  }

  @Test
  void rejectsOperationsDeeperThanTheLimit() throws Exception {
    try (Gateway shallow =
        Gateway.fromSupergraph(
            subgraphs.supergraphSdl(),
            new GatewayOptions(
                Duration.ofSeconds(5),
                java.util.Map.of(),
                3,
                10,
                50,
                4096,
                10,
                false,
                GatewayOptions.DEFAULT_REQUEST_TIMEOUT,
                GatewayOptions.DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES,
                false))) {
      JsonNode deep =
          shallow
              .execute(
                  "{ users { reviews { product { name } } } }",
                  null,
                  JSON.createObjectNode(),
                  null,
                  false)
              .get();
      assertThat(deep.has("data")).isFalse();
      assertThat(deep.at("/errors/0/extensions/code").asText()).isEqualTo("MAX_DEPTH_EXCEEDED");
      assertThat(deep.at("/errors/0/message").asText())
          .contains("4 levels deep")
          .contains("limit is 3");
      StringBuilder aliases = new StringBuilder("{");
      for (int i = 0; i < 11; i++) {
        aliases.append(" a").append(i).append(": users { id }");
      }
      JsonNode tooManyAliases =
          shallow
              .execute(aliases.append(" }").toString(), null, JSON.createObjectNode(), null, false)
              .get();
      assertThat(tooManyAliases.at("/errors/0/extensions/code").asText())
          .isEqualTo("MAX_ALIASES_EXCEEDED");
    }
  }

  @Test
  void refusesAFragmentBombBeforeExpandingIt() throws Exception {
    // Each fragment spreads the next twice: 2^30 fields once expanded, from about 1 KB of text.
    StringBuilder document =
        new StringBuilder("{ ...F30 }\nfragment F0 on Query { topProducts { name } }\n");
    for (int i = 1; i <= 30; i++) {
      document
          .append("fragment F")
          .append(i)
          .append(" on Query { ...F")
          .append(i - 1)
          .append(" ...F")
          .append(i - 1)
          .append(" }\n");
    }
    JsonNode answer =
        JSON.readTree(
            post(
                    JSON.writeValueAsString(java.util.Map.of("query", document.toString())),
                    "application/graphql-response+json")
                .body());
    assertThat(answer.has("data")).isFalse();
    assertThat(answer.at("/errors/0/extensions/code").asText())
        .isEqualTo("MAX_SELECTIONS_EXCEEDED");
    assertThat(answer.at("/errors/0/message").asText()).contains("once its fragments are expanded");
  }

  @Test
  void refusesAnIntrospectionFloodButAnswersOrdinaryIntrospection() throws Exception {
    StringBuilder flood = new StringBuilder("{");
    for (int i = 0; i < 400; i++) {
      flood.append(" s").append(i).append(": __schema { types { name fields { name } } }");
    }
    JsonNode refused =
        JSON.readTree(
            post(
                    JSON.writeValueAsString(
                        java.util.Map.of("query", flood.append(" }").toString())),
                    "application/graphql-response+json")
                .body());
    assertThat(refused.has("data")).isFalse();
    assertThat(refused.at("/errors/0/extensions/code").asText())
        .isEqualTo("MAX_INTROSPECTION_EXCEEDED");

    JsonNode ordinary =
        JSON.readTree(
            post(
                    "{\"query\":\"{ __schema { queryType { name } } a: __type(name: \\\"Query\\\") "
                        + "{ name } }\"}",
                    "application/json")
                .body());
    assertThat(ordinary.at("/data/__schema/queryType/name").asText()).isEqualTo("Query");
    assertThat(ordinary.at("/data/a/name").asText()).isEqualTo("Query");
  }

  @Test
  void refusesSimplePostBodiesThatAnotherSiteCouldSend() throws Exception {
    for (String contentType :
        new String[] {
          "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"
        }) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(server.url().resolve("/graphql"))
                  .header("Content-Type", contentType)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"query\":\"{ topProducts { name } }\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(contentType).isEqualTo(415);
      JsonNode answer = JSON.readTree(response.body());
      assertThat(answer.has("data")).isFalse();
      assertThat(answer.at("/errors/0/extensions/code").asText())
          .isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    }
  }

  @Test
  void returnsThePlanOnlyWhenTheOperatorAllowsIt() throws Exception {
    HttpRequest asking =
        HttpRequest.newBuilder(server.url().resolve("/graphql"))
            .header("Content-Type", "application/json")
            .header(GatewayServer.PLAN_HEADER, "true")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"query\":\"{ topProducts { name inStock } }\"}"))
            .build();
    JsonNode hidden = JSON.readTree(HTTP.send(asking, HttpResponse.BodyHandlers.ofString()).body());
    assertThat(hidden.at("/data/topProducts/0/name").asText()).isEqualTo("Table");
    assertThat(hidden.has("extensions")).isFalse();

    try (GatewayServer exposing =
        GatewayServer.start(
            "127.0.0.1",
            0,
            new AtomicReference<>(
                Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults())),
            ServerOptions.defaults().withExposeQueryPlans(true))) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(exposing.url().resolve("/graphql"))
                  .header("Content-Type", "application/json")
                  .header(GatewayServer.PLAN_HEADER, "true")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"query\":\"{ topProducts { name inStock } }\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode plan = JSON.readTree(response.body()).at("/extensions/queryPlan");
      assertThat(plan.path("kind").asText()).isEqualTo("QueryPlan");
      assertThat(plan.toString())
          .contains("\"serviceName\":\"products\"")
          .contains("\"serviceName\":\"inventory\"");
    }
  }

  @Test
  void aRequestPastItsDeadlineStopsWaitingAndSaysSo() throws Exception {
    subgraphs.server("reviews").delay(Duration.ofSeconds(20));
    try (GatewayServer bounded =
        GatewayServer.start(
            "127.0.0.1",
            0,
            new AtomicReference<>(
                Gateway.fromSupergraph(
                    subgraphs.supergraphSdl(),
                    GatewayOptions.defaults()
                        .withSubgraphTimeout(Duration.ofSeconds(30))
                        .withRequestTimeout(Duration.ofMillis(700)))))) {
      HttpResponse<String> response =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              Duration.ofSeconds(10),
              () ->
                  HTTP.send(
                      HttpRequest.newBuilder(bounded.url().resolve("/graphql"))
                          .header("Content-Type", "application/json")
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  "{\"query\":\"{ topProducts(first: 1) { name reviews { body } }"
                                      + " }\"}"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString()));
      JsonNode body = JSON.readTree(response.body());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(body.at("/data/topProducts/0/name").asText()).isEqualTo("Table");
      assertThat(body.at("/data/topProducts/0/reviews").isNull()).isTrue();
      assertThat(body.at("/errors/0/extensions/code").asText()).isEqualTo("GATEWAY_TIMEOUT");
      assertThat(body.at("/errors/0/message").asText()).contains("deadline of 700 ms");
    }
  }

  @Test
  void planningStopsAtTheDeadline() throws Exception {
    try (Gateway gateway =
        Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults())) {
      io.meshgate.gateway.plan.Deadline passed =
          io.meshgate.gateway.plan.Deadline.after(Duration.ofNanos(1));
      Thread.sleep(2);
      JsonNode answer =
          gateway
              .execute(
                  "{ topProducts { name reviews { body author { name } } } }",
                  null,
                  JSON.createObjectNode(),
                  null,
                  false,
                  passed)
              .get();
      assertThat(answer.has("data")).isFalse();
      assertThat(answer.at("/errors/0/extensions/code").asText()).isEqualTo("GATEWAY_TIMEOUT");
      assertThat(
              gateway
                  .execute(
                      "{ topProducts { name reviews { body author { name } } } }",
                      null,
                      JSON.createObjectNode(),
                      null,
                      false)
                  .get()
                  .at("/data/topProducts/0/name")
                  .asText())
          .isEqualTo("Table");
    }
  }

  @Test
  void shedsRequestsBeyondTheConcurrencyCapWithRetryAfter() throws Exception {
    subgraphs.server("products").delay(Duration.ofSeconds(2));
    try (GatewayServer capped =
        GatewayServer.start(
            "127.0.0.1",
            0,
            new AtomicReference<>(
                Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults())),
            ServerOptions.defaults().withMaxConcurrentRequests(2))) {
      HttpRequest slow =
          HttpRequest.newBuilder(capped.url().resolve("/graphql"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"query\":\"{ topProducts(first: 1) { name } }\"}"))
              .build();
      var first = HTTP.sendAsync(slow, HttpResponse.BodyHandlers.ofString());
      var second = HTTP.sendAsync(slow, HttpResponse.BodyHandlers.ofString());
      long waitUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (subgraphs.server("products").requestCount() < 2 && System.nanoTime() < waitUntil) {
        Thread.sleep(10);
      }
      HttpResponse<String> shed = HTTP.send(slow, HttpResponse.BodyHandlers.ofString());
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(JSON.readTree(shed.body()).at("/errors/0/extensions/code").asText())
          .isEqualTo("OVERLOADED");
      assertThat(first.get().statusCode()).isEqualTo(200);
      assertThat(second.get().statusCode()).isEqualTo(200);
      subgraphs.server("products").reset();
      assertThat(HTTP.send(slow, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aSubgraphResponseOverTheCapIsCutOffWithAnErrorNamingIt() throws Exception {
    try (Gateway capped =
        Gateway.fromSupergraph(
            subgraphs.supergraphSdl(),
            GatewayOptions.defaults().withMaxSubgraphResponseBytes(40))) {
      JsonNode answer =
          capped
              .execute(
                  "{ topProducts(first: 5) { upc name price weight } }",
                  null,
                  JSON.createObjectNode(),
                  null,
                  false)
              .get();
      assertThat(answer.at("/errors/0/extensions/code").asText())
          .isEqualTo("SUBGRAPH_RESPONSE_TOO_LARGE");
      assertThat(answer.at("/errors/0/extensions/serviceName").asText()).isEqualTo("products");
      assertThat(answer.at("/errors/0/message").asText()).contains("40 bytes");
    }
  }

  @Test
  void refusesForeignOriginsAndAdmitsItsOwnAndAllowedOnes() throws Exception {
    String query = "{\"query\":\"{ topProducts(first: 1) { name } }\"}";
    HttpResponse<String> foreign =
        HTTP.send(
            HttpRequest.newBuilder(server.url().resolve("/graphql"))
                .header("Content-Type", "application/json")
                .header("Origin", "https://elsewhere.example")
                .POST(HttpRequest.BodyPublishers.ofString(query))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(foreign.body()).at("/errors/0/extensions/code").asText())
        .isEqualTo("FORBIDDEN_ORIGIN");
    HttpResponse<String> own =
        HTTP.send(
            HttpRequest.newBuilder(server.url().resolve("/graphql"))
                .header("Content-Type", "application/json")
                .header("Origin", server.url().toString())
                .POST(HttpRequest.BodyPublishers.ofString(query))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(own.statusCode()).isEqualTo(200);

    try (GatewayServer open =
        GatewayServer.start(
            "127.0.0.1",
            0,
            new AtomicReference<>(
                Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults())),
            ServerOptions.defaults().withAllowedOrigins(java.util.Set.of("https://app.example")))) {
      HttpResponse<Void> preflight =
          HTTP.send(
              HttpRequest.newBuilder(open.url().resolve("/graphql"))
                  .header("Origin", "https://app.example")
                  .header("Access-Control-Request-Method", "POST")
                  .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      assertThat(preflight.statusCode()).isEqualTo(204);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://app.example");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
          .contains("Content-Type");
      HttpResponse<String> allowed =
          HTTP.send(
              HttpRequest.newBuilder(open.url().resolve("/graphql"))
                  .header("Content-Type", "application/json")
                  .header("Origin", "https://app.example")
                  .POST(HttpRequest.BodyPublishers.ofString(query))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .hasValue("https://app.example");
    }
  }

  @Test
  void answersOnlyToLoopbackHostNamesWhenListeningOnLoopback() throws Exception {
    assertThat(rawPost("evil.example")).startsWith("HTTP/1.1 403").contains("FORBIDDEN_HOST");
    assertThat(rawPost("localhost:" + server.url().getPort())).startsWith("HTTP/1.1 200");
  }

  @Test
  void aBodyRefusedUnreadClosesItsConnectionSoTheNextRequestIsNotTakenFromIt() throws Exception {
    String tooLarge =
        rawExchange(
            "application/json",
            ("{\"query\":\"{ __typename }\",\"pad\":\"" + "x".repeat(5 * 1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(tooLarge)
        .startsWith("HTTP/1.1 413")
        .containsIgnoringCase("connection: close")
        .contains("PAYLOAD_TOO_LARGE");
    String plain =
        rawExchange(
            "text/plain", "{\"query\":\"{ __typename }\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(plain).startsWith("HTTP/1.1 415").containsIgnoringCase("connection: close");
    String read = rawExchange("application/json", "{ not json".getBytes(StandardCharsets.UTF_8));
    assertThat(read).startsWith("HTTP/1.1 400").doesNotContainIgnoringCase("connection: close");
  }

  /**
   * One POST over a connection of its own; the answer as sent, read until the server closes or 2 s
   * pass.
   */
  private static String rawExchange(String contentType, byte[] body) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.url().getPort())) {
      socket.setSoTimeout(2_000);
      String head =
          "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
              + contentType
              + "\r\n"
              + "Content-Length: "
              + body.length
              + "\r\n\r\n";
      Thread writer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                      socket.getOutputStream().write(body);
                      socket.getOutputStream().flush();
                    } catch (java.io.IOException refusedMidway) {
                      // the server may stop reading a body it refused
                    }
                  });
      java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = socket.getInputStream().read(buffer)) > 0; ) {
          answer.write(buffer, 0, n);
        }
      } catch (java.net.SocketTimeoutException | java.net.SocketException keptOpenOrReset) {
        // a kept-alive connection stays open; a closed one may be reset after the answer
      }
      writer.join(5_000);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  private static String rawPost(String host) throws Exception {
    byte[] body = "{\"query\":\"{ __typename }\"}".getBytes(StandardCharsets.UTF_8);
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.url().getPort())) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /graphql HTTP/1.1\r\nHost: "
              + host
              + "\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void refusesIntrospectionThatNestsTheSchemaInItselfButAnswersTheStandardQuery() throws Exception {
    JsonNode nested =
        JSON.readTree(
            post(
                    JSON.writeValueAsString(
                        java.util.Map.of(
                            "query",
                            "{ __schema { types { fields { type { fields { type { fields { name } }"
                                + " } } } } } }")),
                    "application/json")
                .body());
    assertThat(nested.has("data")).isFalse();
    assertThat(nested.at("/errors/0/extensions/code").asText())
        .isEqualTo("MAX_INTROSPECTION_DEPTH_EXCEEDED");
    assertThat(nested.at("/errors/0/message").asText()).contains("fields inside fields");

    JsonNode standard =
        JSON.readTree(
            post(
                    JSON.writeValueAsString(
                        java.util.Map.of(
                            "query", graphql.introspection.IntrospectionQuery.INTROSPECTION_QUERY)),
                    "application/json")
                .body());
    assertThat(standard.has("errors")).isFalse();
    assertThat(standard.at("/data/__schema/types").size()).isGreaterThan(5);
  }

  @Test
  void aFailingSubgraphLeavesTheRestOfTheAnswerWithAnErrorNamingIt() throws Exception {
    subgraphs.server("inventory").failNextRequests(100);
    JsonNode body =
        JSON.readTree(
            post("{\"query\":\"{ topProducts(first: 2) { name inStock } }\"}", "application/json")
                .body());
    assertThat(body.at("/data/topProducts/0/name").asText()).isEqualTo("Table");
    assertThat(body.at("/data/topProducts/0/inStock").isNull()).isTrue();
    assertThat(body.at("/errors/0/extensions/serviceName").asText()).isEqualTo("inventory");
    assertThat(body.at("/errors/0/message").asText()).contains("inventory");
  }

  @Test
  void aSlowSubgraphTimesOutWithPartialData() throws Exception {
    subgraphs.server("reviews").delay(Duration.ofSeconds(3));
    long start = System.nanoTime();
    JsonNode body =
        JSON.readTree(
            post(
                    "{\"query\":\"{ topProducts(first: 1) { name reviews { body } } }\"}",
                    "application/json")
                .body());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
    assertThat(body.at("/data/topProducts/0/name").asText()).isEqualTo("Table");
    assertThat(body.at("/data/topProducts/0/reviews").isNull()).isTrue();
    assertThat(body.at("/errors/0/extensions/code").asText()).isEqualTo("SUBGRAPH_TIMEOUT");
  }

  @Test
  void plansAreCachedPerOperationIgnoringFormatting() throws Exception {
    try (Gateway gateway =
        Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults())) {
      gateway.execute("{ topProducts { name } }", null, JSON.createObjectNode(), null, false).get();
      gateway.execute("{ topProducts { name } }", null, JSON.createObjectNode(), null, false).get();
      gateway
          .execute(
              "# the same operation\n{\n  topProducts {\n    name\n  }\n}",
              null,
              JSON.createObjectNode(),
              null,
              false)
          .get();
      assertThat(gateway.plansComputed()).isEqualTo(1);
      gateway.execute("{ topProducts { upc } }", null, JSON.createObjectNode(), null, false).get();
      assertThat(gateway.plansComputed()).isEqualTo(2);
    }
  }

  @Test
  void identicalInFlightQueriesShareOneSubgraphRequestWhenSwitchedOn() throws Exception {
    subgraphs.server("products").delay(Duration.ofMillis(400));
    try (Gateway deduplicating =
        Gateway.fromSupergraph(
            subgraphs.supergraphSdl(), GatewayOptions.defaults().withDeduplicateInflight(true))) {
      java.util.List<Thread> clients = new java.util.ArrayList<>();
      java.util.List<String> answers =
          java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      for (int i = 0; i < 10; i++) {
        clients.add(
            Thread.ofVirtual()
                .start(
                    () -> {
                      try {
                        answers.add(
                            deduplicating
                                .execute(
                                    "{ topProducts(first: 1) { name } }",
                                    null,
                                    JSON.createObjectNode(),
                                    null,
                                    false)
                                .get()
                                .toString());
                      } catch (Exception e) {
                        answers.add(e.toString());
                      }
                    }));
      }
      for (Thread client : clients) {
        client.join();
      }
      assertThat(answers)
          .hasSize(10)
          .allMatch(a -> a.equals("{\"data\":{\"topProducts\":[{\"name\":\"Table\"}]}}"));
      assertThat(subgraphs.server("products").requestCount()).isLessThan(10);
    }
  }

  @Test
  void healthIsUpOnceTheSupergraphIsLoaded() throws Exception {
    HttpResponse<String> health =
        HTTP.send(
            HttpRequest.newBuilder(server.url().resolve("/health")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"UP\"");
  }

  @Test
  void servesGraphiqlAndItsAssetsFromTheJar() throws Exception {
    HttpResponse<String> page =
        HTTP.send(
            HttpRequest.newBuilder(server.url().resolve("/graphiql")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    java.util.regex.Matcher src =
        java.util.regex.Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    int assets = 0;
    while (src.find()) {
      String path = src.group(1);
      if (path.startsWith("data:")) {
        continue;
      }
      assertThat(path).startsWith("/webjars/");
      HttpResponse<byte[]> asset =
          HTTP.send(
              HttpRequest.newBuilder(server.url().resolve(path)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(asset.statusCode()).as(path).isEqualTo(200);
      assertThat(asset.body().length).as(path).isGreaterThan(1000);
      assets++;
    }
    assertThat(assets).isEqualTo(4);
  }

  private static HttpResponse<String> post(String body, String accept) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(server.url().resolve("/graphql"))
            .header("Content-Type", "application/json")
            .header("Accept", accept)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
