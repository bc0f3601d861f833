package io.meshgate.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The embedded mesh's own token issuer: an ES256 key pair created once under the data directory
 * ({@code signing-key.jwk}, readable by its owner only) with its public half beside it ({@code
 * jwks.json}, which the gateway verifies tokens with), so a newcomer can try every access rule
 * without an identity provider.
 */
public final class LocalSigningKey {

  /** The issuer ({@code iss}) of the tokens it signs. */
  public static final String ISSUER = "meshgate-embedded";

  /** The audience ({@code aud}) of the tokens it signs. */
  public static final String AUDIENCE = "meshgate";

  private static final String PRIVATE_FILE = "signing-key.jwk";
  private static final String PUBLIC_FILE = "jwks.json";

  private final ECKey key;
  private final Path jwks;

  private LocalSigningKey(ECKey key, Path jwks) {
    this.key = key;
    this.jwks = jwks;
  }

  /**
   * The key under {@code dir}, created (with the directory) when there is none.
   *
   * @throws IllegalStateException when the key cannot be read or written
   */
  public static LocalSigningKey loadOrCreate(Path dir) {
    Path privateFile = dir.resolve(PRIVATE_FILE);
    Path publicFile = dir.resolve(PUBLIC_FILE);
    try {
      Files.createDirectories(dir);
      if (!Files.exists(privateFile)) {
        ECKey created =
            new ECKeyGenerator(Curve.P_256)
                .keyID(UUID.randomUUID().toString())
                .algorithm(JWSAlgorithm.ES256)
                .generate();
        write(privateFile, created.toJSONString());
      }
      ECKey key = ECKey.parse(Files.readString(privateFile));
      String publicSet = new JWKSet(key.toPublicJWK()).toString();
      if (!Files.exists(publicFile) || !Files.readString(publicFile).equals(publicSet)) {
        Path next = dir.resolve(PUBLIC_FILE + ".next");
        Files.writeString(next, publicSet);
        Files.move(next, publicFile, StandardCopyOption.REPLACE_EXISTING);
      }
      return new LocalSigningKey(key, publicFile);
    } catch (IOException | ParseException | JOSEException e) {
      throw new IllegalStateException(
          "cannot read or create the mesh's signing key under " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The key under {@code dir}, which must exist.
   *
   * @throws IllegalStateException when there is none (the mesh has not run there yet)
   */
  public static LocalSigningKey load(Path dir) {
    if (!Files.exists(dir.resolve(PRIVATE_FILE))) {
      throw new IllegalStateException(
          "no signing key under "
              + dir
              + ": start the mesh once with './meshgate run' (it creates the key), or give"
              + " --data-dir");
    }
    return loadOrCreate(dir);
  }

  private static void write(Path file, String content) throws IOException {
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      return;
    }
    Files.writeString(file, content, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** The public key set the gateway verifies this key's tokens with. */
  public Path jwksFile() {
    return jwks;
  }

  /** What the gateway accepts from this issuer: its issuer and audience, anonymous or not. */
  public Authentication authentication(boolean anonymous) {
    return Authentication.fromFile(
        jwks,
        TokenAuthenticator.Settings.defaults()
            .withIssuers(Set.of(ISSUER))
            .withAudiences(Set.of(AUDIENCE))
            .withAnonymous(anonymous));
  }

  /** A token for {@code subject} granting {@code scopes}, valid for {@code lifetime}. */
  public String issue(String subject, Set<String> scopes, Duration lifetime) {
    return issue(subject, scopes, lifetime, Clock.systemUTC());
  }

  String issue(String subject, Set<String> scopes, Duration lifetime, Clock clock) {
    if (subject.isBlank()) {
      throw new IllegalArgumentException("a token needs a subject");
    }
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("a token's lifetime must be positive: " + lifetime);
    }
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .subject(subject)
            .claim("scope", String.join(" ", new TreeSet<>(scopes)))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new ECDSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("the mesh's key could not sign a token", e);
    }
    return jwt.serialize();
  }
}
