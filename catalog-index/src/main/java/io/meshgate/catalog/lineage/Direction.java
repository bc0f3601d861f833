package io.meshgate.catalog.lineage;

/** Which way lineage is followed from a node. */
public enum Direction {
  /** Towards the sources a node's value comes from. */
  UPSTREAM,
  /** Towards everything made from the node's value. */
  DOWNSTREAM,
  /** Both ways, each reported with the way it was reached. */
  BOTH
}
