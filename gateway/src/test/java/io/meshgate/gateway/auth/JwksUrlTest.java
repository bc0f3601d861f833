package io.meshgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys from an identity provider's JWKS URL: rotation picked up, outages survived. */
class JwksUrlTest {

  private HttpServer provider;
  private final AtomicReference<String> served = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger fetches = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    provider.createContext(
        "/jwks",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    provider.start();
  }

  @AfterEach
  void stop() {
    provider.stop(0);
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/jwks");
  }

  private static String token(ECKey key) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
            new JWTClaimsSet.Builder()
                .subject("alice")
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build());
    jwt.sign(new ECDSASigner(key));
    return "Bearer " + jwt.serialize();
  }

  @Test
  void aKeyRotatedInAtTheProviderIsFetchedWhenATokenNamesIt() throws Exception {
    ECKey old = new ECKeyGenerator(Curve.P_256).keyID("old").generate();
    ECKey rotated = new ECKeyGenerator(Curve.P_256).keyID("new").generate();
    served.set(new JWKSet(old).toPublicJWKSet().toString());
    try (TokenAuthenticator authenticator =
        new TokenAuthenticator(
            new JwksUrl(url(), Duration.ofHours(1), Duration.ZERO),
            TokenAuthenticator.Settings.defaults())) {
      assertThat(authenticator.authenticate(token(old)).subject()).isEqualTo("alice");
      served.set(new JWKSet(rotated).toPublicJWKSet().toString());
      // The first token with the new key id is refused, and prompts a fetch.
      assertThatThrownBy(() -> authenticator.authenticate(token(rotated)))
          .hasMessageContaining("key id 'new' is not among");
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String subject = null;
      while (subject == null && System.nanoTime() < until) {
        try {
          subject = authenticator.authenticate(token(rotated)).subject();
        } catch (AuthenticationException e) {
          Thread.sleep(20);
        }
      }
      assertThat(subject).isEqualTo("alice");
    }
  }

  @Test
  void unknownKeyIdsDoNotMakeTheGatewayHammerTheProvider() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("stranger").generate();
    served.set(new JWKSet(key).toPublicJWKSet().toString());
    try (TokenAuthenticator authenticator =
        new TokenAuthenticator(
            new JwksUrl(url(), Duration.ofHours(1)), TokenAuthenticator.Settings.defaults())) {
      for (int i = 0; i < 50; i++) {
        assertThatThrownBy(() -> authenticator.authenticate(token(stranger)))
            .isInstanceOf(AuthenticationException.class);
      }
      Thread.sleep(200);
      assertThat(fetches.get()).isEqualTo(1);
    }
  }

  @Test
  void aProviderDownAtStartIsNamedUntilItAnswers() throws Exception {
    ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
    served.set("unavailable");
    status.set(503);
    try (TokenAuthenticator authenticator =
        new TokenAuthenticator(
            new JwksUrl(url(), Duration.ofSeconds(1), Duration.ZERO),
            TokenAuthenticator.Settings.defaults())) {
      assertThatThrownBy(() -> authenticator.authenticate(token(key)))
          .hasMessageContaining("the gateway has no keys to verify tokens with")
          .hasMessageContaining("could not be fetched: HTTP 503");
      served.set(new JWKSet(key).toPublicJWKSet().toString());
      status.set(200);
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String subject = null;
      while (subject == null && System.nanoTime() < until) {
        try {
          subject = authenticator.authenticate(token(key)).subject();
        } catch (AuthenticationException e) {
          Thread.sleep(50);
        }
      }
      assertThat(subject).isEqualTo("alice");
      // An outage after that keeps the last good keys.
      status.set(500);
      Thread.sleep(1_500);
      assertThat(authenticator.authenticate(token(key)).subject()).isEqualTo("alice");
    }
  }
}
