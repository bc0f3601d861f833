package io.meshgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes a bearer token acceptable, and what the caller learns when it is not. */
class TokenAuthenticatorTest {

  private static final Instant NOW = Instant.parse("2026-12-08T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static RSAKey rsa;
  private static ECKey ec;
  private static OctetKeyPair ed;
  private static RSAKey stranger;

  @TempDir Path dir;

  @BeforeAll
  static void keys() throws JOSEException {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
    stranger = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
  }

  private Path jwks(JWK... keys) throws Exception {
    Path file = dir.resolve("jwks.json");
    Files.writeString(file, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
    return file;
  }

  private TokenAuthenticator authenticator(TokenAuthenticator.Settings settings) throws Exception {
    return new TokenAuthenticator(new JwksFile(jwks(rsa, ec, ed), Duration.ZERO), settings, CLOCK);
  }

  private static TokenAuthenticator.Settings strict() {
    return TokenAuthenticator.Settings.defaults()
        .withIssuers(Set.of("https://id.example.com"))
        .withAudiences(Set.of("meshgate"))
        .withAnonymous(false);
  }

  private static String token(
      JWK key, JWSAlgorithm algorithm, UnaryOperator<JWTClaimsSet.Builder> claims)
      throws JOSEException {
    JWSSigner signer =
        switch (key) {
          case RSAKey r -> new RSASSASigner(r);
          case ECKey e -> new ECDSASigner(e);
          case OctetKeyPair o -> new Ed25519Signer(o);
          default -> throw new IllegalArgumentException();
        };
    JWTClaimsSet.Builder builder =
        new JWTClaimsSet.Builder()
            .subject("alice")
            .issuer("https://id.example.com")
            .audience("meshgate")
            .expirationTime(Date.from(NOW.plusSeconds(600)));
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(),
            claims.apply(builder).build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static String token(JWK key, JWSAlgorithm algorithm) throws JOSEException {
    return token(key, algorithm, b -> b);
  }

  @Test
  void acceptsTokensSignedWithRsaEcAndEdDsaKeys() throws Exception {
    TokenAuthenticator authenticator = authenticator(strict());
    for (String token :
        List.of(
            token(rsa, JWSAlgorithm.RS256),
            token(ec, JWSAlgorithm.ES256),
            token(ed, JWSAlgorithm.Ed25519),
            token(ed, JWSAlgorithm.EdDSA))) {
      Principal principal = authenticator.authenticate("Bearer " + token);
      assertThat(principal.subject()).isEqualTo("alice");
      assertThat(principal.authenticated()).isTrue();
    }
  }

  @Test
  void readsScopesFromAStringOrAnArrayClaimAndNestedClaims() throws Exception {
    TokenAuthenticator authenticator =
        authenticator(strict().withScopeClaims(List.of("scope", "scp", "realm_access.roles")));
    String token =
        token(
            rsa,
            JWSAlgorithm.RS256,
            b ->
                b.claim("scope", "sales:read  pii:read")
                    .claim("scp", List.of("finance:read"))
                    .claim("realm_access", Map.of("roles", List.of("governance"))));
    assertThat(authenticator.authenticate("Bearer " + token).scopes())
        .containsExactlyInAnyOrder("sales:read", "pii:read", "finance:read", "governance");
    assertThat(
            authenticator(strict().withScopeClaims(List.of("roles")))
                .authenticate("Bearer " + token)
                .scopes())
        .isEmpty();
  }

  @Test
  void refusesAnExpiredTokenBeyondTheSkewAndSaysWhen() throws Exception {
    TokenAuthenticator authenticator =
        authenticator(strict().withClockSkew(Duration.ofSeconds(30)));
    String justExpired =
        token(rsa, JWSAlgorithm.RS256, b -> b.expirationTime(Date.from(NOW.minusSeconds(10))));
    assertThat(authenticator.authenticate("Bearer " + justExpired).subject()).isEqualTo("alice");
    String expired =
        token(rsa, JWSAlgorithm.RS256, b -> b.expirationTime(Date.from(NOW.minusSeconds(31))));
    assertRefused(authenticator, expired, "the token expired at 2026-12-08T09:59:29Z");
    String noExpiry = token(rsa, JWSAlgorithm.RS256, b -> b.expirationTime(null));
    assertRefused(authenticator, noExpiry, "no expiry time (exp)");
  }

  @Test
  void refusesATokenNotYetValid() throws Exception {
    String early =
        token(rsa, JWSAlgorithm.RS256, b -> b.notBeforeTime(Date.from(NOW.plusSeconds(120))));
    assertRefused(authenticator(strict()), early, "not valid before 2026-12-08T10:02:00Z");
  }

  @Test
  void refusesWrongAudienceAndIssuerNamingWhatIsAccepted() throws Exception {
    TokenAuthenticator authenticator = authenticator(strict());
    assertRefused(
        authenticator,
        token(rsa, JWSAlgorithm.RS256, b -> b.audience("billing")),
        "the token is for audience [billing], not for this gateway (accepted: [meshgate])");
    assertRefused(
        authenticator,
        token(rsa, JWSAlgorithm.RS256, b -> b.issuer("https://evil.example.com")),
        "issuer 'https://evil.example.com' is not accepted");
    assertRefused(
        authenticator, token(rsa, JWSAlgorithm.RS256, b -> b.subject(null)), "no subject (sub)");
  }

  @Test
  void refusesABadSignatureAndAnUnknownKey() throws Exception {
    TokenAuthenticator authenticator = authenticator(strict());
    // Same key id, another key: the signature does not verify.
    assertRefused(authenticator, token(stranger, JWSAlgorithm.RS256), "signature does not verify");
    RSAKey unknown = new RSAKeyGenerator(2048).keyID("rsa-9").generate();
    assertRefused(
        authenticator,
        token(unknown, JWSAlgorithm.RS256),
        "key id 'rsa-9' is not among the gateway's verification keys");
    String valid = token(rsa, JWSAlgorithm.RS256);
    String[] parts = valid.split("\\.");
    String tampered =
        parts[0]
            + "."
            + token(rsa, JWSAlgorithm.RS256, b -> b.subject("mallory")).split("\\.")[1]
            + "."
            + parts[2];
    assertRefused(authenticator, tampered, "signature does not verify");
  }

  @Test
  void refusesAlgorithmsNotAcceptedIncludingHmacAndNone() throws Exception {
    TokenAuthenticator onlyEs = authenticator(strict().withAlgorithms(Set.of(JWSAlgorithm.ES256)));
    assertRefused(
        onlyEs,
        token(rsa, JWSAlgorithm.RS256),
        "signed with RS256, which this gateway does not accept (accepted: [ES256])");
    SignedJWT hmac =
        new SignedJWT(
            new JWSHeader(JWSAlgorithm.HS256),
            new JWTClaimsSet.Builder()
                .subject("alice")
                .expirationTime(Date.from(NOW.plusSeconds(60)))
                .build());
    hmac.sign(new MACSigner(new byte[32]));
    assertRefused(authenticator(strict()), hmac.serialize(), "signed with HS256");
    String unsigned = "eyJhbGciOiJub25lIn0." + token(rsa, JWSAlgorithm.RS256).split("\\.")[1] + ".";
    assertRefused(authenticator(strict()), unsigned, "not a signed JWT");
    assertThatThrownBy(
            () -> TokenAuthenticator.Settings.defaults().withAlgorithms(Set.of(JWSAlgorithm.HS256)))
        .hasMessageContaining("only public-key signature algorithms");
  }

  @Test
  void explainsMalformedHeadersAndAbsentTokens() throws Exception {
    TokenAuthenticator required = authenticator(strict());
    assertThatThrownBy(() -> required.authenticate(null))
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e -> {
              assertThat(e.getMessage()).contains("requires a bearer token");
              assertThat(e.tokenPresented()).isFalse();
            });
    assertThatThrownBy(() -> required.authenticate("Basic YWxpY2U6c2VjcmV0"))
        .hasMessageContaining("the Basic scheme is not accepted");
    assertThatThrownBy(() -> required.authenticate("Bearer "))
        .hasMessageContaining("no token after 'Bearer'");
    assertThatThrownBy(() -> required.authenticate("Bearer not.a.jwt"))
        .hasMessageContaining("not a signed JWT");
    assertThatThrownBy(() -> required.authenticate("Bearer " + "a".repeat(20_000)))
        .hasMessageContaining("longer than 16384 characters");
    TokenAuthenticator open = authenticator(strict().withAnonymous(true));
    assertThat(open.authenticate(null)).isEqualTo(Principal.ANONYMOUS);
    assertThat(open.authenticate(null).authenticated()).isFalse();
    // A presented token is always checked, anonymous access or not.
    assertThatThrownBy(() -> open.authenticate("Bearer not.a.jwt"))
        .isInstanceOf(AuthenticationException.class);
  }

  @Test
  void aKeyRotatedIntoTheFileIsUsedAndOneRotatedOutIsNoLongerTrusted() throws Exception {
    Path file = jwks(rsa);
    TokenAuthenticator authenticator =
        new TokenAuthenticator(new JwksFile(file, Duration.ZERO), strict(), CLOCK);
    String oldKeyToken = token(rsa, JWSAlgorithm.RS256);
    String newKeyToken = token(ec, JWSAlgorithm.ES256);
    assertThat(authenticator.authenticate("Bearer " + oldKeyToken).subject()).isEqualTo("alice");
    assertRefused(authenticator, newKeyToken, "key id 'ec-1' is not among");
    Files.writeString(file, new JWKSet(List.of(ec)).toPublicJWKSet().toString());
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(authenticator.authenticate("Bearer " + newKeyToken).subject()).isEqualTo("alice");
    // The remembered verification of the old token does not outlive its key.
    assertRefused(authenticator, oldKeyToken, "key id 'rsa-1' is not among");
    // A file broken mid-rotation keeps the last good keys.
    Files.writeString(file, "{ not json");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
    assertThat(authenticator.authenticate("Bearer " + newKeyToken).subject()).isEqualTo("alice");
  }

  @Test
  void aMissingOrEmptyKeyFileIsRefusedAtStart() throws Exception {
    assertThatThrownBy(() -> new JwksFile(dir.resolve("absent.json"), Duration.ofSeconds(1)))
        .hasMessageContaining("cannot read the JWKS file")
        .hasMessageContaining("absent.json");
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "{\"keys\":[]}");
    assertThatThrownBy(() -> new JwksFile(empty, Duration.ofSeconds(1)))
        .hasMessageContaining("no keys");
  }

  private static void assertRefused(TokenAuthenticator authenticator, String token, String why) {
    assertThatThrownBy(() -> authenticator.authenticate("Bearer " + token))
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e -> {
              assertThat(e.getMessage()).contains(why);
              assertThat(e.tokenPresented()).isTrue();
            });
  }
}
