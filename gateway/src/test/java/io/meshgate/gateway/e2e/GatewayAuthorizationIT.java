package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.auth.Authentication;
import io.meshgate.gateway.auth.Principal;
import io.meshgate.gateway.auth.TokenAuthenticator;
import io.meshgate.gateway.plan.Deadline;
import io.meshgate.gateway.server.GatewayServer;
import io.meshgate.gateway.server.ServerOptions;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import io.meshgate.gateway.testkit.InventorySubgraph;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation's access directives in the supergraph decide, per caller, which fields are read: the
 * unauthorized ones are removed before planning, answered null with an error at their path, and
 * null propagates as the schema says; entities of other subgraphs are filtered the same way.
 */
class GatewayAuthorizationIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Principal ANONYMOUS = Principal.ANONYMOUS;
  private static final Principal ALICE = new Principal("alice", Set.of());
  private static final Principal EVERYTHING =
      new Principal(
          "root",
          Set.of("pii:read", "inventory:read", "sales:read", "pricing:read", "accounts:id"));

  private static BenchmarkSubgraphs subgraphs;
  private static Gateway filtering;
  private static Gateway rejecting;

  @BeforeAll
  static void start() {
    // Inventory estimates shipping from the price and weight the gateway sends (@requires).
    subgraphs = BenchmarkSubgraphs.start(InventorySubgraph.ShippingEstimate.FROM_REQUIRED_FIELDS);
    String sdl = guarded(subgraphs.supergraphSdl());
    filtering = Gateway.fromSupergraph(sdl, GatewayOptions.defaults());
    rejecting = Gateway.fromSupergraph(sdl, GatewayOptions.defaults().withRejectUnauthorized(true));
  }

  @AfterAll
  static void stop() {
    filtering.close();
    rejecting.close();
    subgraphs.close();
  }

  /** The benchmark supergraph with access rules on some of its fields and types. */
  private static String guarded(String sdl) {
    String guarded =
        sdl.replace(
                "@link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION) {",
                "@link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION)\n"
                    + "    @link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for:"
                    + " SECURITY)\n"
                    + "    @link(url: \"https://specs.apollo.dev/requiresScopes/v0.1\", for:"
                    + " SECURITY) {")
            .replace(
                "scalar join__FieldSet",
                """
                scalar join__FieldSet
                directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
                directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) \
                on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
                scalar requiresScopes__Scope\
                """)
            .replace(
                "birthday: Int @join__field(graph: ACCOUNTS)",
                "birthday: Int @join__field(graph: ACCOUNTS)"
                    + " @requiresScopes(scopes: [[\"pii:read\"]])")
            .replace(
                "inStock: Boolean @join__field(graph: INVENTORY)",
                "inStock: Boolean @join__field(graph: INVENTORY)"
                    + " @requiresScopes(scopes: [[\"inventory:read\"], [\"admin\"]])")
            .replace(
                "    price: Int\n",
                "    price: Int @requiresScopes(scopes: [[\"sales:read\", \"pricing:read\"]])\n")
            .replace(
                "me: User @join__field(graph: ACCOUNTS)",
                "me: User @join__field(graph: ACCOUNTS) @authenticated")
            .replace(
                "type Review @join__type(graph: REVIEWS, key: \"id\") {",
                "type Review @join__type(graph: REVIEWS, key: \"id\") @authenticated {")
            .replace(
                "    @join__type(graph: REVIEWS, key: \"id\") {\n    id: ID!\n    name: String",
                "    @join__type(graph: REVIEWS, key: \"id\") {\n"
                    + "    id: ID! @requiresScopes(scopes: [[\"accounts:id\"]])\n    name: String");
    assertThat(guarded).contains("@requiresScopes(scopes: [[\"pii:read\"]])");
    assertThat(guarded).contains("price: Int @requiresScopes");
    assertThat(guarded).contains("id: ID! @requiresScopes");
    assertThat(guarded).contains("@authenticated {");
    return guarded;
  }

  private static JsonNode run(Gateway gateway, String query, Principal caller) throws Exception {
    return gateway
        .execute(
            query,
            null,
            JSON.createObjectNode(),
            null,
            false,
            Deadline.after(Duration.ofSeconds(10)),
            caller)
        .get();
  }

  private static List<String> unauthorizedPaths(JsonNode answer) {
    List<String> paths = new ArrayList<>();
    for (JsonNode error : answer.path("errors")) {
      if (error.at("/extensions/code").asText().equals("UNAUTHORIZED_FIELD_OR_TYPE")) {
        assertThat(error.path("message").asText()).isEqualTo("Unauthorized field or type");
        paths.add(error.path("path").toString());
      }
    }
    return paths;
  }

  @Test
  void aCallerWithTheScopesReadsEverything() throws Exception {
    JsonNode answer =
        run(
            filtering,
            "{ users { id name birthday } topProducts { name price inStock } }",
            EVERYTHING);
    assertThat(answer.has("errors")).isFalse();
    assertThat(answer.at("/data/users/0/birthday").isNumber()).isTrue();
    assertThat(answer.at("/data/topProducts/0/price").isNumber()).isTrue();
    assertThat(answer.at("/data/topProducts/0/inStock").isBoolean()).isTrue();
  }

  @Test
  void aFieldTheCallerMayNotReadIsNullWithAnErrorAtItsPathAndTheRestIsServed() throws Exception {
    String query = "{ users { name birthday } topProducts { name inStock } }";
    JsonNode full = run(filtering, query, EVERYTHING);
    JsonNode anonymous = run(filtering, query, ANONYMOUS);
    assertThat(unauthorizedPaths(anonymous))
        .containsExactly("[\"users\",\"@\",\"birthday\"]", "[\"topProducts\",\"@\",\"inStock\"]");
    ObjectNode expected = ((ObjectNode) full.get("data")).deepCopy();
    expected.withArray("users").forEach(u -> ((ObjectNode) u).putNull("birthday"));
    expected.withArray("topProducts").forEach(p -> ((ObjectNode) p).putNull("inStock"));
    assertThat(anonymous.get("data")).isEqualTo(expected);
  }

  @Test
  void scopeAlternativesAreOredAndTheScopesOfOneAreAnded() throws Exception {
    String query = "{ topProducts { name price inStock } }";
    JsonNode admin = run(filtering, query, new Principal("a", Set.of("admin")));
    assertThat(admin.at("/data/topProducts/0/inStock").isBoolean()).isTrue();
    assertThat(unauthorizedPaths(admin)).containsExactly("[\"topProducts\",\"@\",\"price\"]");
    JsonNode halfOfTheScopes = run(filtering, query, new Principal("b", Set.of("sales:read")));
    assertThat(halfOfTheScopes.at("/data/topProducts/0/price").isNull()).isTrue();
    JsonNode both = run(filtering, query, new Principal("c", Set.of("sales:read", "pricing:read")));
    assertThat(both.at("/data/topProducts/0/price").isNumber()).isTrue();
    assertThat(unauthorizedPaths(both)).containsExactly("[\"topProducts\",\"@\",\"inStock\"]");
  }

  @Test
  void aFieldThatRequiresAnUnreadableFieldIsStillAnswered() throws Exception {
    // shippingEstimate @requires price and weight: the gateway fetches price for it, but never
    // shows it to a caller who may not read it.
    JsonNode answer = run(filtering, "{ topProducts { shippingEstimate price } }", ANONYMOUS);
    JsonNode full = run(filtering, "{ topProducts { shippingEstimate price } }", EVERYTHING);
    assertThat(answer.at("/data/topProducts/0/shippingEstimate"))
        .isEqualTo(full.at("/data/topProducts/0/shippingEstimate"));
    assertThat(answer.at("/data/topProducts/0/shippingEstimate").isNumber()).isTrue();
    assertThat(answer.at("/data/topProducts/0/price").isNull()).isTrue();
  }

  @Test
  void aTypeThatNeedsATokenIsFilteredInEntitiesOfOtherSubgraphs() throws Exception {
    String query = "{ topProducts { name reviews { body } } }";
    JsonNode anonymous = run(filtering, query, ANONYMOUS);
    assertThat(unauthorizedPaths(anonymous)).containsExactly("[\"topProducts\",\"@\",\"reviews\"]");
    assertThat(anonymous.at("/data/topProducts/0/name").asText()).isEqualTo("Table");
    assertThat(anonymous.at("/data/topProducts/0/reviews").isNull()).isTrue();
    JsonNode signedIn = run(filtering, query, ALICE);
    assertThat(signedIn.has("errors")).isFalse();
    assertThat(signedIn.at("/data/topProducts/0/reviews/0/body").isTextual()).isTrue();
  }

  @Test
  void aNonNullFieldRemovedNullsItsParentWithoutASecondError() throws Exception {
    JsonNode answer = run(filtering, "{ users { id name } }", ALICE);
    assertThat(unauthorizedPaths(answer)).containsExactly("[\"users\",\"@\",\"id\"]");
    assertThat(answer.path("errors")).hasSize(1);
    assertThat(answer.at("/data/users").size()).isPositive();
    answer.at("/data/users").forEach(user -> assertThat(user.isNull()).isTrue());
  }

  @Test
  void aSelectionLeftEmptyKeepsItsObject() throws Exception {
    JsonNode answer = run(filtering, "{ topProducts { inStock } }", ANONYMOUS);
    assertThat(answer.at("/data/topProducts").size()).isPositive();
    assertThat(answer.at("/data/topProducts/0").isObject()).isTrue();
    assertThat(answer.at("/data/topProducts/0/inStock").isNull()).isTrue();
  }

  @Test
  void aRequestWithNothingLeftIsRefused() throws Exception {
    JsonNode answer = run(filtering, "{ me { name } }", ANONYMOUS);
    assertThat(answer.has("data")).isFalse();
    assertThat(unauthorizedPaths(answer)).containsExactly("[\"me\"]");
    assertThat(run(filtering, "{ me { name } }", ALICE).at("/data/me/name").isTextual()).isTrue();
  }

  @Test
  void rejectModeRefusesAnyRequestTouchingAnUnreadableField() throws Exception {
    JsonNode answer = run(rejecting, "{ topProducts { name inStock } }", ANONYMOUS);
    assertThat(answer.has("data")).isFalse();
    assertThat(unauthorizedPaths(answer)).containsExactly("[\"topProducts\",\"@\",\"inStock\"]");
    assertThat(
            run(rejecting, "{ topProducts { name } }", ANONYMOUS)
                .at("/data/topProducts/0/name")
                .asText())
        .isEqualTo("Table");
  }

  @Test
  void plansAreKeptPerAccessNotShared() throws Exception {
    String query = "{ topProducts { name inStock } }";
    JsonNode first = run(filtering, query, ANONYMOUS);
    JsonNode privileged = run(filtering, query, new Principal("d", Set.of("inventory:read")));
    JsonNode again = run(filtering, query, ANONYMOUS);
    assertThat(first.at("/data/topProducts/0/inStock").isNull()).isTrue();
    assertThat(privileged.at("/data/topProducts/0/inStock").isBoolean()).isTrue();
    assertThat(again).isEqualTo(first);
  }

  @Test
  void overHttpTheTokensSubjectAndScopesDecide(@TempDir Path dir) throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key).toPublicJWKSet().toString());
    Gateway gateway =
        Gateway.fromSupergraph(guarded(subgraphs.supergraphSdl()), GatewayOptions.defaults());
    try (GatewayServer server =
        GatewayServer.start(
            "127.0.0.1",
            0,
            new AtomicReference<>(gateway),
            ServerOptions.defaults()
                .withAuthentication(
                    Authentication.fromFile(jwks, TokenAuthenticator.Settings.defaults())))) {
      String body = "{\"query\":\"{ me { name } users { birthday } }\"}";
      HttpResponse<String> anonymous = post(server, body, null);
      assertThat(anonymous.statusCode()).isEqualTo(200);
      JsonNode answer = JSON.readTree(anonymous.body());
      assertThat(unauthorizedPaths(answer))
          .containsExactly("[\"me\"]", "[\"users\",\"@\",\"birthday\"]");
      assertThat(answer.at("/data/me").isNull()).isTrue();
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k").build(),
              new JWTClaimsSet.Builder()
                  .subject("alice")
                  .claim("scope", "pii:read")
                  .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                  .build());
      jwt.sign(new ECDSASigner(key));
      HttpResponse<String> alice = post(server, body, "Bearer " + jwt.serialize());
      JsonNode served = JSON.readTree(alice.body());
      assertThat(served.has("errors")).as(alice.body()).isFalse();
      assertThat(served.at("/data/me/name").isTextual()).isTrue();
      assertThat(served.at("/data/users/0/birthday").isNumber()).isTrue();
      // Nothing left to run: refused, 403 where the client speaks graphql-response+json.
      HttpResponse<String> refused = post(server, "{\"query\":\"{ me { name } }\"}", null);
      assertThat(refused.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(refused.body()).at("/errors/0/extensions/code").asText())
          .isEqualTo("UNAUTHORIZED_FIELD_OR_TYPE");
    }
  }

  private static HttpResponse<String> post(GatewayServer server, String body, String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.url().resolve("/graphql"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/graphql-response+json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void fieldsRemovedForTheCallerAreNotLoggedAsProblems() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(Gateway.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      for (int i = 0; i < 20; i++) {
        run(filtering, "{ topProducts { name inStock } }", ANONYMOUS);
      }
      // A failing subgraph is a problem of the mesh, and is still logged as one.
      subgraphs.server("inventory").failNextRequests(1, 500);
      run(filtering, "{ topProducts { name inStock } }", EVERYTHING);
    } finally {
      subgraphs.server("inventory").reset();
      logger.detachAppender(appender);
    }
    assertThat(
            appender.list.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                .map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage))
        .hasSize(1)
        .allSatisfy(message -> assertThat(message).contains("answered with 1 error(s)"));
  }

  @Test
  void introspectionShowsTheWholeSchema() throws Exception {
    JsonNode answer =
        run(filtering, "{ __type(name: \"Product\") { fields { name } } }", ANONYMOUS);
    assertThat(answer.has("errors")).isFalse();
    assertThat(answer.at("/data/__type/fields").toString()).contains("\"inStock\"", "\"price\"");
    assertThat(
            run(filtering, "{ __type(name: \"requiresScopes__Scope\") { name } }", ANONYMOUS)
                .at("/data/__type")
                .isNull())
        .isTrue();
  }
}
