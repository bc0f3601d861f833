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
 */
public record GatewayOptions(
    Duration subgraphTimeout,
    Map<String, Duration> subgraphTimeouts,
    int maxDepth,
    int maxAliases,
    int maxSelections,
    int maxQueryBytes,
    int planCacheSize,
    boolean deduplicateInflight) {

  public GatewayOptions {
    subgraphTimeouts = Map.copyOf(subgraphTimeouts);
    if (maxDepth < 1 || maxAliases < 0 || maxSelections < 1 || maxQueryBytes < 1 || planCacheSize < 0) {
      throw new IllegalArgumentException("gateway limits must be positive");
    }
  }

  /**
   * Defaults: 30 s per subgraph, depth 64, 1,000 aliases, 20,000 expanded selections, 256 KiB
   * queries, 1,000 cached plans, no in-flight deduplication.
   */
  public static GatewayOptions defaults() {
    return new GatewayOptions(Duration.ofSeconds(30), Map.of(), 64, 1_000, 20_000, 256 * 1024, 1_000, false);
  }

  /** A copy with another default subgraph timeout. */
  public GatewayOptions withSubgraphTimeout(Duration timeout) {
    return new GatewayOptions(timeout, subgraphTimeouts, maxDepth, maxAliases, maxSelections, maxQueryBytes, planCacheSize,
        deduplicateInflight);
  }

  /** A copy with per-subgraph timeouts. */
  public GatewayOptions withSubgraphTimeouts(Map<String, Duration> timeouts) {
    return new GatewayOptions(subgraphTimeout, timeouts, maxDepth, maxAliases, maxSelections, maxQueryBytes, planCacheSize,
        deduplicateInflight);
  }

  /** A copy with in-flight deduplication switched on or off. */
  public GatewayOptions withDeduplicateInflight(boolean enabled) {
    return new GatewayOptions(subgraphTimeout, subgraphTimeouts, maxDepth, maxAliases, maxSelections, maxQueryBytes, planCacheSize,
        enabled);
  }
}
