package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import java.util.Objects;

/**
 * Computes the RFC 9162 tree head of a log read once from its start, in memory logarithmic in its
 * size: it keeps the roots of the complete subtrees that make up the leaves seen so far (one per
 * set bit of the count), merging equal neighbours as leaves arrive. Adding a leaf allocates
 * nothing: the subtree roots live in one array and every hash is written in place. Not thread-safe.
 */
public final class RootAccumulator {

  /** A count of leaves has at most 63 set bits (it is a non-negative long). */
  private static final int MAX_ROOTS = 63;

  private final Sha256 sha256 = new Sha256();

  /** Roots of the complete subtrees that make up the leaves so far, largest (leftmost) first. */
  private final byte[] roots = new byte[MAX_ROOTS * Hash.LENGTH];

  /**
   * {@code 0x01 || left || right}: the input of a node hash. A new leaf hash is written into the
   * right half, each carry's left subtree root into the left half, and the node hash back into the
   * right half, so that merging never copies more than one hash.
   */
  private final byte[] node = new byte[1 + 2 * Hash.LENGTH];

  /** {@code 0x00 || leaf data}: the input of a leaf hash. */
  private final byte[] leaf = new byte[1 + Hash.LENGTH];

  private int rootCount;
  private long size;

  public RootAccumulator() {
    node[0] = MerkleHashing.NODE_PREFIX;
    leaf[0] = MerkleHashing.LEAF_PREFIX;
  }

  /** Adds the next leaf, given its leaf hash. */
  public void addLeafHash(Hash leafHash) {
    leafHash.copyTo(node, 1 + Hash.LENGTH);
    push();
  }

  /** Adds the next leaf, given its 32-byte leaf data (an entry's chain hash). */
  public void addLeaf(Hash leafData) {
    leafData.copyTo(leaf, 1);
    sha256.hashInto(leaf, 0, leaf.length, node, 1 + Hash.LENGTH);
    push();
  }

  /** Adds the next leaf, given its 32-byte leaf data (an entry's chain hash) at {@code offset}. */
  public void addLeaf(byte[] leafData, int offset) {
    Objects.checkFromIndexSize(offset, Hash.LENGTH, leafData.length);
    System.arraycopy(leafData, offset, leaf, 1, Hash.LENGTH);
    sha256.hashInto(leaf, 0, leaf.length, node, 1 + Hash.LENGTH);
    push();
  }

  /** Pushes the hash in the right half of {@link #node}, merging as a binary carry would. */
  private void push() {
    // The subtrees are the set bits of size, largest first: adding a leaf merges one subtree per
    // trailing one bit of the old size.
    for (long carry = size; (carry & 1) == 1; carry >>>= 1) {
      rootCount--;
      System.arraycopy(roots, rootCount * Hash.LENGTH, node, 1, Hash.LENGTH);
      sha256.hashInto(node, 0, node.length, node, 1 + Hash.LENGTH);
    }
    System.arraycopy(node, 1 + Hash.LENGTH, roots, rootCount * Hash.LENGTH, Hash.LENGTH);
    rootCount++;
    size++;
  }

  /** Number of leaves added. */
  public long size() {
    return size;
  }

  /** The tree head over the leaves added so far. */
  public Hash root() {
    if (rootCount == 0) {
      return MerkleHashing.EMPTY_ROOT;
    }
    // The RFC splits at the largest power of two below n, so the tree is the left-to-right
    // decomposition into complete subtrees, folded from the right.
    byte[] fold = new byte[1 + 2 * Hash.LENGTH];
    fold[0] = MerkleHashing.NODE_PREFIX;
    System.arraycopy(roots, (rootCount - 1) * Hash.LENGTH, fold, 1 + Hash.LENGTH, Hash.LENGTH);
    for (int i = rootCount - 2; i >= 0; i--) {
      System.arraycopy(roots, i * Hash.LENGTH, fold, 1, Hash.LENGTH);
      sha256.hashInto(fold, 0, fold.length, fold, 1 + Hash.LENGTH);
    }
    return Hash.of(fold, 1 + Hash.LENGTH);
  }
}
