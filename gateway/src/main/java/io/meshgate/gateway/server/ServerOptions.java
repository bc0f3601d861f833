package io.meshgate.gateway.server;

import io.meshgate.gateway.auth.Authentication;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the gateway's HTTP server admits.
 *
 * @param maxConcurrentRequests GraphQL requests served at once; beyond them a request is refused at
 *     once with {@code 503} and {@code Retry-After} (load is shed, never queued without bound)
 * @param exposeQueryPlans answer the query plan to a client that asks for it ({@code
 *     X-Meshgate-Query-Plan: true} or {@code extensions.queryPlan}); off by default, since a plan
 *     shows the subgraphs and their operations
 * @param allowedOrigins browser origins (such as {@code https://app.example.com}) other than the
 *     gateway's own that may call it; {@code *} admits any. A request with any other {@code Origin}
 *     is refused with {@code 403}
 * @param allowedHosts {@code Host} names the gateway answers to, besides the loopback names when it
 *     listens on loopback; empty when it listens beyond loopback means any (a warning is logged)
 * @param graphiqlQuery the operation GraphiQL opens with (empty: GraphiQL's own welcome text)
 * @param authentication how callers are authenticated (bearer JWTs); null admits every request as
 *     the anonymous caller
 */
public record ServerOptions(
    int maxConcurrentRequests,
    boolean exposeQueryPlans,
    Set<String> allowedOrigins,
    Set<String> allowedHosts,
    String graphiqlQuery,
    @Nullable Authentication authentication) {

  /** Default cap on GraphQL requests served at once. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 256;

  public ServerOptions {
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "the most concurrent requests must be positive: " + maxConcurrentRequests);
    }
    allowedOrigins =
        allowedOrigins.stream().map(ServerOptions::origin).collect(Collectors.toUnmodifiableSet());
    allowedHosts =
        allowedHosts.stream()
            .map(h -> h.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
  }

  /** 256 concurrent requests, no plans, only the gateway's own origin, loopback host names. */
  public static ServerOptions defaults() {
    return new ServerOptions(DEFAULT_MAX_CONCURRENT_REQUESTS, false, Set.of(), Set.of(), "", null);
  }

  public ServerOptions withMaxConcurrentRequests(int max) {
    return new ServerOptions(
        max, exposeQueryPlans, allowedOrigins, allowedHosts, graphiqlQuery, authentication);
  }

  public ServerOptions withExposeQueryPlans(boolean expose) {
    return new ServerOptions(
        maxConcurrentRequests, expose, allowedOrigins, allowedHosts, graphiqlQuery, authentication);
  }

  public ServerOptions withAllowedOrigins(Set<String> origins) {
    return new ServerOptions(
        maxConcurrentRequests,
        exposeQueryPlans,
        origins,
        allowedHosts,
        graphiqlQuery,
        authentication);
  }

  public ServerOptions withAllowedHosts(Set<String> hosts) {
    return new ServerOptions(
        maxConcurrentRequests,
        exposeQueryPlans,
        allowedOrigins,
        hosts,
        graphiqlQuery,
        authentication);
  }

  public ServerOptions withGraphiqlQuery(String query) {
    return new ServerOptions(
        maxConcurrentRequests,
        exposeQueryPlans,
        allowedOrigins,
        allowedHosts,
        query,
        authentication);
  }

  public ServerOptions withAuthentication(@Nullable Authentication how) {
    return new ServerOptions(
        maxConcurrentRequests, exposeQueryPlans, allowedOrigins, allowedHosts, graphiqlQuery, how);
  }

  /** An origin as browsers send it: scheme://host[:port], lower case, no trailing slash. */
  static String origin(String origin) {
    String trimmed = origin.trim().toLowerCase(Locale.ROOT);
    return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}
