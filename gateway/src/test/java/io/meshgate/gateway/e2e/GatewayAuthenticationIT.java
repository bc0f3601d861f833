package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.meshgate.gateway.auth.TokenAuthenticator;
import io.meshgate.gateway.server.GatewayServer;
import io.meshgate.gateway.server.ServerOptions;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens at the gateway's door: who gets in, and what a refused caller is told. */
class GatewayAuthenticationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String QUERY = "{\"query\":\"{ topProducts(first: 1) { name } }\"}";

  @TempDir static Path dir;

  private static BenchmarkSubgraphs subgraphs;
  private static GatewayServer required;
  private static GatewayServer optional;
  private static ECKey key;

  @BeforeAll
  static void start() throws Exception {
    subgraphs = BenchmarkSubgraphs.start();
    key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
    Path jwks = dir.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(key).toPublicJWKSet().toString());
    TokenAuthenticator.Settings settings =
        TokenAuthenticator.Settings.defaults()
            .withAudiences(Set.of("meshgate"))
            .withAnonymous(false);
    required = server(Authentication.fromFile(jwks, settings));
    optional = server(Authentication.fromFile(jwks, settings.withAnonymous(true)));
  }

  private static GatewayServer server(Authentication authentication) throws Exception {
    Gateway gateway = Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults());
    return GatewayServer.start(
        "127.0.0.1",
        0,
        new AtomicReference<>(gateway),
        ServerOptions.defaults().withAuthentication(authentication));
  }

  @AfterAll
  static void stop() {
    required.close();
    optional.close();
    subgraphs.close();
  }

  private static String token(String audience, Instant expires) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
            new JWTClaimsSet.Builder()
                .subject("alice")
                .audience(audience)
                .claim("scope", "sales:read")
                .expirationTime(Date.from(expires))
                .build());
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private static HttpResponse<String> post(URI gateway, @Nullable String authorization)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(gateway.resolve("/graphql"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(QUERY));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aValidTokenIsServed() throws Exception {
    HttpResponse<String> response =
        post(required.url(), "Bearer " + token("meshgate", Instant.now().plusSeconds(300)));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(response.body()).at("/data/topProducts/0/name").asText())
        .isEqualTo("Table");
  }

  @Test
  void noTokenWhereOneIsRequiredIs401WithABareChallenge() throws Exception {
    HttpResponse<String> response = post(required.url(), null);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"meshgate\"");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.has("data")).isFalse();
    assertThat(body.at("/errors/0/extensions/code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(body.at("/errors/0/message").asText()).contains("requires a bearer token");
  }

  @Test
  void aRefusedTokenIs401SayingWhyInTheBodyAndTheChallenge() throws Exception {
    HttpResponse<String> expired =
        post(required.url(), "Bearer " + token("meshgate", Instant.now().minusSeconds(3600)));
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(expired.body()).at("/errors/0/message").asText())
        .startsWith("the token expired at ");
    assertThat(expired.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(
            challenge ->
                assertThat(challenge)
                    .startsWith("Bearer realm=\"meshgate\", error=\"invalid_token\"")
                    .contains("error_description=\"the token expired at "));
    HttpResponse<String> wrongAudience =
        post(required.url(), "Bearer " + token("billing", Instant.now().plusSeconds(300)));
    assertThat(wrongAudience.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(wrongAudience.body()).at("/errors/0/message").asText())
        .contains("not for this gateway");
  }

  @Test
  void anonymousCallersAreServedWhereAdmittedButABadTokenNeverIs() throws Exception {
    assertThat(post(optional.url(), null).statusCode()).isEqualTo(200);
    HttpResponse<String> bad = post(optional.url(), "Bearer garbage");
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(bad.body()).at("/errors/0/extensions/code").asText())
        .isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void healthAndTheGraphiqlPageNeedNoToken() throws Exception {
    for (String path : new String[] {"/health", "/graphiql"}) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(required.url().resolve(path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void theConnectionStaysUsableAfterA401() throws Exception {
    // A refused POST whose body was not read closes its connection; the client's next request on
    // a new one is served.
    assertThat(post(required.url(), null).statusCode()).isEqualTo(401);
    assertThat(
            post(required.url(), "Bearer " + token("meshgate", Instant.now().plusSeconds(300)))
                .statusCode())
        .isEqualTo(200);
  }
}
