package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the RFC 9162 tree head of a log read once from its start, in memory logarithmic in its
 * size: it keeps the roots of the complete subtrees that make up the leaves seen so far (one per set
 * bit of the count), merging equal neighbours as leaves arrive. Not thread-safe.
 */
public final class RootAccumulator {

  private final MerkleHashing hashing = new MerkleHashing();
  /** Roots of the complete subtrees that make up the leaves so far, largest (leftmost) first. */
  private final List<Hash> roots = new ArrayList<>();
  private long size;

  /** Adds the next leaf, given its leaf hash. */
  public void addLeafHash(Hash leafHash) {
    Hash hash = leafHash;
    // The subtrees are the set bits of size, largest first: adding a leaf merges one subtree per
    // trailing one bit of the old size, like a binary carry.
    for (long carry = size; (carry & 1) == 1; carry >>>= 1) {
      hash = hashing.node(roots.removeLast(), hash);
    }
    roots.add(hash);
    size++;
  }

  /** Adds the next leaf, given its 32-byte leaf data (an entry's chain hash). */
  public void addLeaf(Hash leafData) {
    addLeafHash(hashing.leaf(leafData));
  }

  /** Number of leaves added. */
  public long size() {
    return size;
  }

  /** The tree head over the leaves added so far. */
  public Hash root() {
    if (roots.isEmpty()) {
      return MerkleHashing.EMPTY_ROOT;
    }
    // The RFC splits at the largest power of two below n, so the tree is the left-to-right
    // decomposition into complete subtrees, folded from the right.
    Hash root = roots.getLast();
    for (int i = roots.size() - 2; i >= 0; i--) {
      root = hashing.node(roots.get(i), root);
    }
    return root;
  }
}
