package io.meshgate.gateway.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the gateway authenticates its callers: where its verification keys come from (a JWKS file,
 * looked at again every few seconds, or a JWKS URL fetched every {@code refresh}) and what a token
 * must be.
 *
 * @param jwksFile a JWKS file; exactly one of it and {@code jwksUrl}
 * @param jwksUrl an identity provider's JWKS URL
 * @param refresh how often the URL is fetched again, or the file looked at for changes
 * @param settings issuers, audiences, algorithms, scope claims, skew and anonymous access
 */
public record Authentication(
    @Nullable Path jwksFile,
    @Nullable URI jwksUrl,
    Duration refresh,
    TokenAuthenticator.Settings settings) {

  public Authentication {
    if ((jwksFile == null) == (jwksUrl == null)) {
      throw new IllegalArgumentException("give either a JWKS file or a JWKS URL, not both or none");
    }
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("the key refresh interval must be positive: " + refresh);
    }
  }

  /** Keys from a JWKS file, looked at for changes every two seconds. */
  public static Authentication fromFile(Path file, TokenAuthenticator.Settings settings) {
    return new Authentication(file, null, Duration.ofSeconds(2), settings);
  }

  /** Keys from a JWKS URL, fetched again every {@code refresh}. */
  public static Authentication fromUrl(
      URI url, Duration refresh, TokenAuthenticator.Settings settings) {
    return new Authentication(null, url, refresh, settings);
  }

  /**
   * Reads (or fetches) the keys and returns the authenticator; close its keys when done.
   *
   * @throws IllegalArgumentException when a key file cannot be read
   */
  public TokenAuthenticator open() {
    VerificationKeys keys =
        jwksFile != null ? new JwksFile(jwksFile, refresh) : new JwksUrl(jwksUrl, refresh);
    return new TokenAuthenticator(keys, settings);
  }
}
