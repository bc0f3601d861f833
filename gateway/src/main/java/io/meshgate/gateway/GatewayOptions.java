package io.meshgate.gateway;

import java.time.Duration;
import java.util.Map;

/**
 * Limits and switches of a gateway.
 *
 * @param subgraphTimeout default timeout of one subgraph request
 * @param subgraphTimeouts per-subgraph timeouts (by subgraph name)
 * @param maxDepth deepest selection nesting accepted
 * @param maxAliases most aliases accepted in one operation
 * @param maxSelections most field selections accepted in one operation once its fragments are
 *     expanded (checked before the expansion is done, so a fragment bomb costs nothing)
 * @param maxQueryBytes longest query text accepted
 * @param planCacheSize operations whose plans are kept
 * @param deduplicateInflight share one subgraph request among identical in-flight queries
 * @param requestTimeout deadline of a whole request, planning and every subgraph fetch included
 * @param maxSubgraphResponseBytes largest response body read from one subgraph request
 * @param rejectUnauthorized refuse a whole request that selects a field or type its caller may not
 *     read ({@code @authenticated}, {@code @requiresScopes}, {@code @policy}); by default such
 *     fields are removed and answered {@code null} with an error, and the rest is served
 */
public record GatewayOptions(
    Duration subgraphTimeout,
    Map<String, Duration> subgraphTimeouts,
    int maxDepth,
    int maxAliases,
    int maxSelections,
    int maxQueryBytes,
    int planCacheSize,
    boolean deduplicateInflight,
    Duration requestTimeout,
    long maxSubgraphResponseBytes,
    boolean rejectUnauthorized) {

  public GatewayOptions {
    subgraphTimeouts = Map.copyOf(subgraphTimeouts);
    if (maxDepth < 1
        || maxAliases < 0
        || maxSelections < 1
        || maxQueryBytes < 1
        || planCacheSize < 0
        || maxSubgraphResponseBytes < 1
        || requestTimeout.isNegative()
        || requestTimeout.isZero()) {
      throw new IllegalArgumentException("gateway limits must be positive");
    }
  }

  /** Default deadline of a whole request: 30 s. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** Default largest subgraph response: 16 MiB. */
  public static final long DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES = 16L * 1024 * 1024;

  /**
   * Defaults: 30 s per subgraph and 30 s per request, depth 64, 1,000 aliases, 20,000 expanded
   * selections, 256 KiB queries, 1,000 cached plans, 16 MiB per subgraph response, no in-flight
   * deduplication.
   */
  public static GatewayOptions defaults() {
    return new GatewayOptions(
        Duration.ofSeconds(30),
        Map.of(),
        64,
        1_000,
        20_000,
        256 * 1024,
        1_000,
        false,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_SUBGRAPH_RESPONSE_BYTES,
        false);
  }

  /** A copy with another default subgraph timeout. */
  public GatewayOptions withSubgraphTimeout(Duration timeout) {
    return new GatewayOptions(
        timeout,
        subgraphTimeouts,
        maxDepth,
        maxAliases,
        maxSelections,
        maxQueryBytes,
        planCacheSize,
        deduplicateInflight,
        requestTimeout,
        maxSubgraphResponseBytes,
        rejectUnauthorized);
  }

  /** A copy with per-subgraph timeouts. */
  public GatewayOptions withSubgraphTimeouts(Map<String, Duration> timeouts) {
    return new GatewayOptions(
        subgraphTimeout,
        timeouts,
        maxDepth,
        maxAliases,
        maxSelections,
        maxQueryBytes,
        planCacheSize,
        deduplicateInflight,
        requestTimeout,
        maxSubgraphResponseBytes,
        rejectUnauthorized);
  }

  /** A copy with in-flight deduplication switched on or off. */
  public GatewayOptions withDeduplicateInflight(boolean enabled) {
    return new GatewayOptions(
        subgraphTimeout,
        subgraphTimeouts,
        maxDepth,
        maxAliases,
        maxSelections,
        maxQueryBytes,
        planCacheSize,
        enabled,
        requestTimeout,
        maxSubgraphResponseBytes,
        rejectUnauthorized);
  }

  /** A copy with another request deadline. */
  public GatewayOptions withRequestTimeout(Duration timeout) {
    return new GatewayOptions(
        subgraphTimeout,
        subgraphTimeouts,
        maxDepth,
        maxAliases,
        maxSelections,
        maxQueryBytes,
        planCacheSize,
        deduplicateInflight,
        timeout,
        maxSubgraphResponseBytes,
        rejectUnauthorized);
  }

  /** A copy with another cap on one subgraph response. */
  public GatewayOptions withMaxSubgraphResponseBytes(long bytes) {
    return new GatewayOptions(
        subgraphTimeout,
        subgraphTimeouts,
        maxDepth,
        maxAliases,
        maxSelections,
        maxQueryBytes,
        planCacheSize,
        deduplicateInflight,
        requestTimeout,
        bytes,
        rejectUnauthorized);
  }

  /** A copy that refuses (or filters) requests selecting what their caller may not read. */
  public GatewayOptions withRejectUnauthorized(boolean reject) {
    return new GatewayOptions(
        subgraphTimeout,
        subgraphTimeouts,
        maxDepth,
        maxAliases,
        maxSelections,
        maxQueryBytes,
        planCacheSize,
        deduplicateInflight,
        requestTimeout,
        maxSubgraphResponseBytes,
        reject);
  }
}
