package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A growing RFC 9162 Merkle tree that answers tree heads and proofs for any of its past sizes.
 *
 * <p>It keeps, per level {@code l}, the hash of every complete, aligned subtree of {@code 2^l}
 * leaves: about two hashes per leaf. Every left part of the RFC's recursion is such a subtree, so a
 * proof reads O(log n) stored hashes and computes only the right edge of the tree, O(log² n) hashes
 * at worst: microseconds at ten million leaves.
 *
 * <p>Thread-safe: appends exclude readers, readers run concurrently.
 */
public final class MerkleTree {

  private final List<HashArray> levels = new ArrayList<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final MerkleHashing appendHashing = new MerkleHashing();

  public MerkleTree() {
    levels.add(new HashArray());
  }

  /** Number of leaves. */
  public long size() {
    lock.readLock().lock();
    try {
      return levels.getFirst().size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Appends a leaf given its 32-byte leaf data (an entry's chain hash). */
  public void appendLeaf(Hash leafData) {
    lock.writeLock().lock();
    try {
      appendLeafHash(appendHashing.leaf(leafData));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Appends a leaf as leaf number {@code index} if the tree has exactly {@code index} leaves, in
   * one step: for a reader bringing a shared tree up to date while appends may add the same leaves.
   *
   * @return true if appended, false if the tree already had that leaf
   * @throws IllegalArgumentException if the tree has fewer than {@code index} leaves
   */
  public boolean appendLeafAt(long index, Hash leafData) {
    lock.writeLock().lock();
    try {
      long size = levels.getFirst().size();
      if (index < size) {
        return false;
      }
      if (index > size) {
        throw new IllegalArgumentException(
            "tree has " + size + " leaves, cannot append leaf " + index);
      }
      appendLeafHash(appendHashing.leaf(leafData));
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void appendLeafHash(Hash leafHash) {
    Hash hash = leafHash;
    int level = 0;
    levels.get(level).add(hash);
    // A node of level l+1 is complete when level l has just received an even count.
    while (levels.get(level).size() % 2 == 0) {
      HashArray below = levels.get(level);
      long right = below.size() - 1;
      hash = appendHashing.node(below.get(right - 1), hash);
      level++;
      if (levels.size() == level) {
        levels.add(new HashArray());
      }
      levels.get(level).add(hash);
    }
  }

  /** The tree head (root hash) over all leaves. */
  public Hash root() {
    lock.readLock().lock();
    try {
      return rangeHash(new MerkleHashing(), 0, levels.getFirst().size());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The tree head over the first {@code treeSize} leaves.
   *
   * @throws IllegalArgumentException if the tree has fewer leaves
   */
  public Hash rootAt(long treeSize) {
    lock.readLock().lock();
    try {
      requireSize(treeSize);
      return rangeHash(new MerkleHashing(), 0, treeSize);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The leaf hash at {@code index}. */
  public Hash leafHash(long index) {
    lock.readLock().lock();
    try {
      return levels.getFirst().get(index);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The inclusion proof of leaf {@code leafIndex} in the tree of the first {@code treeSize} leaves
   * (RFC 9162 §2.1.3.1, {@code PATH(m, D[n])}).
   *
   * @throws IllegalArgumentException unless {@code 0 <= leafIndex < treeSize <= size()}
   */
  public InclusionProof inclusionProof(long leafIndex, long treeSize) {
    lock.readLock().lock();
    try {
      requireSize(treeSize);
      if (leafIndex < 0 || leafIndex >= treeSize) {
        throw new IllegalArgumentException(
            "leaf " + leafIndex + " is not in a tree of " + treeSize + " leaves");
      }
      MerkleHashing hashing = new MerkleHashing();
      List<Hash> path = new ArrayList<>();
      long m = leafIndex;
      long from = 0;
      long to = treeSize;
      List<Hash> reversed = new ArrayList<>();
      // PATH(m, D[from:to]) descends towards the leaf; the siblings met on the way are the path
      // from
      // the root down, so they are collected and reversed.
      while (to - from > 1) {
        long k = MerkleHashing.split(to - from);
        if (m < k) {
          reversed.add(rangeHash(hashing, from + k, to));
          to = from + k;
        } else {
          reversed.add(rangeHash(hashing, from, from + k));
          from += k;
          m -= k;
        }
      }
      for (int i = reversed.size() - 1; i >= 0; i--) {
        path.add(reversed.get(i));
      }
      return new InclusionProof(leafIndex, treeSize, path);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The consistency proof between the trees of the first {@code firstSize} and {@code secondSize}
   * leaves (RFC 9162 §2.1.4.1, {@code PROOF(m, D[n])}).
   *
   * @throws IllegalArgumentException unless {@code 0 <= firstSize <= secondSize <= size()}
   */
  public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
    lock.readLock().lock();
    try {
      requireSize(secondSize);
      if (firstSize < 0 || firstSize > secondSize) {
        throw new IllegalArgumentException(
            "need 0 <= firstSize <= secondSize: " + firstSize + ", " + secondSize);
      }
      if (firstSize == 0 || firstSize == secondSize) {
        return new ConsistencyProof(firstSize, secondSize, List.of());
      }
      MerkleHashing hashing = new MerkleHashing();
      List<Hash> reversed = new ArrayList<>();
      long m = firstSize;
      long from = 0;
      long to = secondSize;
      boolean complete = true; // the b of SUBPROOF(m, D[n], b)
      while (m != to - from) {
        long k = MerkleHashing.split(to - from);
        if (m <= k) {
          reversed.add(rangeHash(hashing, from + k, to));
          to = from + k;
        } else {
          reversed.add(rangeHash(hashing, from, from + k));
          from += k;
          m -= k;
          complete = false;
        }
      }
      if (!complete) {
        reversed.add(rangeHash(hashing, from, to));
      }
      List<Hash> path = new ArrayList<>(reversed.size());
      for (int i = reversed.size() - 1; i >= 0; i--) {
        path.add(reversed.get(i));
      }
      return new ConsistencyProof(firstSize, secondSize, path);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** MTH(D[from:to]), from stored complete subtrees where it can. Caller holds the read lock. */
  private Hash rangeHash(MerkleHashing hashing, long from, long to) {
    long n = to - from;
    if (n == 0) {
      return MerkleHashing.EMPTY_ROOT;
    }
    if (Long.bitCount(n) == 1 && from % n == 0) {
      int level = Long.numberOfTrailingZeros(n);
      return levels.get(level).get(from >>> level);
    }
    long k = MerkleHashing.split(n);
    return hashing.node(rangeHash(hashing, from, from + k), rangeHash(hashing, from + k, to));
  }

  private void requireSize(long treeSize) {
    long size = levels.getFirst().size();
    if (treeSize < 0 || treeSize > size) {
      throw new IllegalArgumentException(
          "tree has " + size + " leaves, asked for a tree of " + treeSize);
    }
  }
}
