package io.meshgate.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key set fetched from an identity provider's JWKS URL and fetched again every {@code refresh},
 * and soon after a token names a key id the set lacks (at most once per {@link #MIN_REFETCH}), so
 * keys rotated at the provider are used without a restart. A failed fetch keeps the last good set;
 * until a first fetch succeeds there are no keys, and tokens are refused saying why.
 */
public final class JwksUrl implements VerificationKeys {

  private static final Logger log = LoggerFactory.getLogger(JwksUrl.class);

  /** The shortest time between two fetches prompted by unknown key ids. */
  public static final Duration MIN_REFETCH = Duration.ofSeconds(10);

  /** The largest key set read. */
  private static final int MAX_BYTES = 1 << 20;

  private final URI url;
  private final Duration refresh;
  private final long minRefetchNanos;
  private final HttpClient http;
  private final Thread refresher;
  private final AtomicBoolean fetching = new AtomicBoolean();
  private volatile JWKSet keys = new JWKSet();
  private volatile long version;
  private volatile long fetchedAt;
  private volatile @Nullable String problem;

  /** Fetches the set once now (waiting at most a few seconds), then every {@code refresh}. */
  public JwksUrl(URI url, Duration refresh) {
    this(url, refresh, MIN_REFETCH);
  }

  JwksUrl(URI url, Duration refresh, Duration minRefetch) {
    if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
      throw new IllegalArgumentException("the JWKS URL must be http(s), not " + url);
    }
    if (refresh.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "the JWKS refresh interval must be at least a second, not " + refresh);
    }
    this.url = url;
    this.refresh = refresh;
    this.minRefetchNanos = minRefetch.toNanos();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    fetch();
    this.refresher = Thread.ofVirtual().name("gateway-jwks-refresh").start(this::refreshLoop);
  }

  private void refreshLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(refresh);
      } catch (InterruptedException e) {
        return;
      }
      fetch();
    }
  }

  private void fetch() {
    if (!fetching.compareAndSet(false, true)) {
      return;
    }
    try {
      fetchedAt = System.nanoTime();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url)
                  .timeout(Duration.ofSeconds(10))
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      if (response.body().length() > MAX_BYTES) {
        throw new IOException("the key set is larger than " + MAX_BYTES + " characters");
      }
      JWKSet next = JWKSet.parse(response.body()).toPublicJWKSet();
      if (next.isEmpty()) {
        throw new ParseException("the key set has no keys", 0);
      }
      if (!next.toJSONObject().equals(keys.toJSONObject())) {
        keys = next;
        version++;
        log.info("verification keys fetched from {}: {} key(s)", url, next.size());
      }
      problem = null;
    } catch (IOException | ParseException e) {
      problem = "the key set at " + url + " could not be fetched: " + e.getMessage();
      log.warn(
          "{}; {}", problem, keys.isEmpty() ? "no keys yet" : "the last good keys stay in use");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      fetching.set(false);
    }
  }

  @Override
  public JWKSet current() {
    return keys;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public void keyMissing() {
    if (System.nanoTime() - fetchedAt >= minRefetchNanos && !fetching.get()) {
      Thread.ofVirtual().name("gateway-jwks-fetch").start(this::fetch);
    }
  }

  @Override
  public @Nullable String problem() {
    return keys.isEmpty() ? problem : null;
  }

  @Override
  public void close() {
    refresher.interrupt();
    http.close();
  }
}
