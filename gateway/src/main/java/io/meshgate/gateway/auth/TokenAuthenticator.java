package io.meshgate.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Decides who calls from a request's {@code Authorization} header: a bearer JWT signed with one of
 * the accepted algorithms by a key of the key set, unexpired, already valid, from an accepted
 * issuer and for an accepted audience (each checked only when configured), with a subject. Scopes
 * are read from the configured claims: a space-separated string ({@code scope}) or an array of
 * strings ({@code scp}, {@code roles}); a dotted name reads a nested claim ({@code
 * realm_access.roles}).
 *
 * <p>Verified tokens are remembered (at most {@link #REMEMBERED} of them, each until it expires and
 * only while the key set is unchanged), so a client that sends the same token with every request
 * pays for one signature check.
 */
public final class TokenAuthenticator implements AutoCloseable {

  /** The longest token read; a longer header is refused before any parsing. */
  public static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** How many verified tokens are remembered. */
  static final int REMEMBERED = 10_000;

  /** The algorithms accepted unless configured otherwise. */
  public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.Ed25519,
          JWSAlgorithm.EdDSA);

  /** The claims scopes are read from unless configured otherwise. */
  public static final List<String> DEFAULT_SCOPE_CLAIMS = List.of("scope", "scp");

  private final VerificationKeys keys;
  private final Settings settings;
  private final Clock clock;
  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  /**
   * What a token must be.
   *
   * @param issuers accepted {@code iss} values; empty accepts any
   * @param audiences accepted {@code aud} values (one is enough); empty accepts any
   * @param algorithms accepted signature algorithms ({@code alg}); never {@code none} or HMAC
   * @param scopeClaims the claims scopes are read from, merged
   * @param clockSkew how far {@code exp} and {@code nbf} may be off
   * @param anonymous admit requests without an {@code Authorization} header, as the anonymous
   *     caller (what it may read is for authorization to decide)
   */
  public record Settings(
      Set<String> issuers,
      Set<String> audiences,
      Set<JWSAlgorithm> algorithms,
      List<String> scopeClaims,
      Duration clockSkew,
      boolean anonymous) {

    public Settings {
      issuers = Set.copyOf(issuers);
      audiences = Set.copyOf(audiences);
      algorithms = Set.copyOf(algorithms);
      scopeClaims = List.copyOf(scopeClaims);
      if (algorithms.isEmpty()) {
        throw new IllegalArgumentException("at least one signature algorithm must be accepted");
      }
      for (JWSAlgorithm algorithm : algorithms) {
        if (!JWSAlgorithm.Family.SIGNATURE.contains(algorithm)
            && !JWSAlgorithm.Ed25519.equals(algorithm)) {
          throw new IllegalArgumentException(
              "only public-key signature algorithms can be accepted, not " + algorithm);
        }
      }
      if (scopeClaims.isEmpty()) {
        throw new IllegalArgumentException("at least one claim must carry the scopes");
      }
      if (clockSkew.isNegative()) {
        throw new IllegalArgumentException("the clock skew cannot be negative: " + clockSkew);
      }
    }

    /** Any issuer and audience, the default algorithms and scope claims, 60 s skew, anonymous. */
    public static Settings defaults() {
      return new Settings(
          Set.of(),
          Set.of(),
          DEFAULT_ALGORITHMS,
          DEFAULT_SCOPE_CLAIMS,
          Duration.ofSeconds(60),
          true);
    }

    public Settings withIssuers(Set<String> accepted) {
      return new Settings(accepted, audiences, algorithms, scopeClaims, clockSkew, anonymous);
    }

    public Settings withAudiences(Set<String> accepted) {
      return new Settings(issuers, accepted, algorithms, scopeClaims, clockSkew, anonymous);
    }

    public Settings withAlgorithms(Set<JWSAlgorithm> accepted) {
      return new Settings(issuers, audiences, accepted, scopeClaims, clockSkew, anonymous);
    }

    public Settings withScopeClaims(List<String> claims) {
      return new Settings(issuers, audiences, algorithms, claims, clockSkew, anonymous);
    }

    public Settings withClockSkew(Duration skew) {
      return new Settings(issuers, audiences, algorithms, scopeClaims, skew, anonymous);
    }

    public Settings withAnonymous(boolean admitted) {
      return new Settings(issuers, audiences, algorithms, scopeClaims, clockSkew, admitted);
    }
  }

  private record Remembered(Principal principal, Instant expires, long keysVersion) {}

  public TokenAuthenticator(VerificationKeys keys, Settings settings) {
    this(keys, settings, Clock.systemUTC());
  }

  TokenAuthenticator(VerificationKeys keys, Settings settings, Clock clock) {
    this.keys = keys;
    this.settings = settings;
    this.clock = clock;
  }

  public Settings settings() {
    return settings;
  }

  /**
   * The caller of a request with this {@code Authorization} header (null when it has none).
   *
   * @throws AuthenticationException saying what is wrong with the header or its token
   */
  public Principal authenticate(@Nullable String authorization) {
    if (authorization == null || authorization.isBlank()) {
      if (settings.anonymous()) {
        return Principal.ANONYMOUS;
      }
      throw new AuthenticationException(
          "this gateway requires a bearer token: send 'Authorization: Bearer <JWT>'", false);
    }
    String header = authorization.strip();
    int space = header.indexOf(' ');
    String scheme = space < 0 ? header : header.substring(0, space);
    if (!scheme.equalsIgnoreCase("Bearer")) {
      throw new AuthenticationException(
          "the Authorization header must be 'Bearer <JWT>'; the "
              + (scheme.length() > 20 ? scheme.substring(0, 20) + "..." : scheme)
              + " scheme is not accepted",
          false);
    }
    String token = space < 0 ? "" : header.substring(space + 1).strip();
    if (token.isEmpty()) {
      throw new AuthenticationException(
          "the Authorization header has no token after 'Bearer'", false);
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new AuthenticationException(
          "the bearer token is longer than " + MAX_TOKEN_CHARS + " characters", true);
    }
    Instant now = clock.instant();
    long version = keys.version();
    Remembered known = remembered.get(token);
    if (known != null && known.keysVersion() == version && now.isBefore(known.expires())) {
      return known.principal();
    }
    Remembered verified = verify(token, now, version);
    if (remembered.size() >= REMEMBERED) {
      remembered.clear();
    }
    remembered.put(token, verified);
    return verified.principal();
  }

  private Remembered verify(String token, Instant now, long version) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthenticationException(
          "the bearer token is not a signed JWT (" + e.getMessage() + ")", true);
    }
    JWSHeader header = jwt.getHeader();
    JWSAlgorithm algorithm = header.getAlgorithm();
    if (!settings.algorithms().contains(algorithm)) {
      throw new AuthenticationException(
          "the token is signed with "
              + algorithm
              + ", which this gateway does not accept (accepted: "
              + settings.algorithms().stream()
                  .map(JWSAlgorithm::getName)
                  .collect(Collectors.toCollection(TreeSet::new))
              + ")",
          true);
    }
    List<JWK> candidates = new JWKSelector(JWKMatcher.forJWSHeader(header)).select(keys.current());
    if (candidates.isEmpty()) {
      String problem = keys.problem();
      if (problem != null) {
        throw new AuthenticationException(
            "the gateway has no keys to verify tokens with: " + problem, true);
      }
      keys.keyMissing();
      throw new AuthenticationException(
          header.getKeyID() == null
              ? "no verification key fits the token's " + algorithm + " signature"
              : "the token's key id '"
                  + abbreviate(header.getKeyID())
                  + "' is not among the gateway's verification keys",
          true);
    }
    boolean valid = false;
    for (JWK key : candidates) {
      try {
        JWSVerifier verifier = verifier(key);
        if (verifier != null && jwt.verify(verifier)) {
          valid = true;
          break;
        }
      } catch (JOSEException e) {
        // A key that cannot verify this algorithm: try the next.
      }
    }
    if (!valid) {
      throw new AuthenticationException("the token's signature does not verify", true);
    }
    Duration skew = settings.clockSkew();
    Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw new AuthenticationException("the token has no expiry time (exp)", true);
    }
    if (!now.isBefore(expiry.toInstant().plus(skew))) {
      throw new AuthenticationException("the token expired at " + expiry.toInstant(), true);
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.plus(skew).isBefore(notBefore.toInstant())) {
      throw new AuthenticationException(
          "the token is not valid before " + notBefore.toInstant(), true);
    }
    if (!settings.issuers().isEmpty() && !settings.issuers().contains(claims.getIssuer())) {
      throw new AuthenticationException(
          "the token's issuer "
              + (claims.getIssuer() == null
                  ? "is missing"
                  : "'" + abbreviate(claims.getIssuer()) + "' is not accepted")
              + " (accepted: "
              + new TreeSet<>(settings.issuers())
              + ")",
          true);
    }
    List<String> audience = claims.getAudience();
    if (!settings.audiences().isEmpty()
        && audience.stream().noneMatch(settings.audiences()::contains)) {
      throw new AuthenticationException(
          "the token is for "
              + (audience.isEmpty() ? "no audience" : "audience " + abbreviate(audience.toString()))
              + ", not for this gateway (accepted: "
              + new TreeSet<>(settings.audiences())
              + ")",
          true);
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new AuthenticationException("the token has no subject (sub)", true);
    }
    Principal principal = new Principal(subject, scopes(claims));
    return new Remembered(principal, expiry.toInstant().plus(skew), version);
  }

  private static @Nullable JWSVerifier verifier(JWK key) throws JOSEException {
    return switch (key) {
      case RSAKey rsa -> new RSASSAVerifier(rsa);
      case ECKey ec -> new ECDSAVerifier(ec);
      case OctetKeyPair okp -> new Ed25519Verifier(okp);
      default -> null;
    };
  }

  private Set<String> scopes(JWTClaimsSet claims) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String name : settings.scopeClaims()) {
      Object value = claim(claims.getClaims(), name);
      if (value instanceof String text) {
        for (String scope : text.trim().split("\\s+")) {
          if (!scope.isEmpty()) {
            scopes.add(scope);
          }
        }
      } else if (value instanceof Collection<?> list) {
        for (Object element : list) {
          if (element instanceof String scope && !scope.isBlank()) {
            scopes.add(scope.strip());
          }
        }
      }
    }
    return scopes;
  }

  private static @Nullable Object claim(Map<String, Object> claims, String name) {
    Object direct = claims.get(name);
    if (direct != null || name.indexOf('.') < 0) {
      return direct;
    }
    Object at = claims;
    for (String part : name.split("\\.")) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = map.get(part);
    }
    return at;
  }

  private static String abbreviate(String text) {
    String clean = text.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 80 ? clean : clean.substring(0, 80) + "...";
  }

  /** Stops following the key set (a URL's refreshes). */
  @Override
  public void close() {
    keys.close();
  }

  /** Accepted algorithm names, case as the JOSE registry spells them. */
  public static Set<JWSAlgorithm> algorithms(Collection<String> names) {
    Set<JWSAlgorithm> result = new LinkedHashSet<>();
    for (String name : names) {
      JWSAlgorithm algorithm = JWSAlgorithm.parse(name.trim());
      if (!DEFAULT_ALGORITHMS.contains(algorithm)
          && !JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
        throw new IllegalArgumentException(
            "unknown or unaccepted signature algorithm '"
                + name
                + "' (known: "
                + JWSAlgorithm.Family.SIGNATURE.stream()
                    .map(JWSAlgorithm::getName)
                    .collect(Collectors.toCollection(TreeSet::new))
                + ")");
      }
      result.add(algorithm);
    }
    return result;
  }
}
