package io.meshgate.catalog.lineage;

/**
 * Bounds on one traversal, so a huge graph gives a partial answer quickly instead of a timeout.
 *
 * @param maxNodes most nodes reported
 * @param maxEdges most edges examined
 */
public record LineageLimits(int maxNodes, int maxEdges) {

  public LineageLimits {
    if (maxNodes < 1 || maxEdges < 1) {
      throw new IllegalArgumentException(
          "limits must be positive: " + maxNodes + " nodes, " + maxEdges + " edges");
    }
  }

  /** 10,000 nodes and 100,000 edges. */
  public static LineageLimits defaults() {
    return new LineageLimits(10_000, 100_000);
  }
}
