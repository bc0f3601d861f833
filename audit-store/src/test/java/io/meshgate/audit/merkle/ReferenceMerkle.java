package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.ArrayList;
import java.util.List;

/** RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 written as the RFC writes them: recursive and slow. */
final class ReferenceMerkle {

  private final MerkleHashing hashing = new MerkleHashing();
  private final List<byte[]> leaves;

  ReferenceMerkle(List<byte[]> leaves) {
    this.leaves = leaves;
  }

  /** MTH(D[from:to]). */
  Hash mth(int from, int to) {
    int n = to - from;
    if (n == 0) {
      return MerkleHashing.EMPTY_ROOT;
    }
    if (n == 1) {
      return hashing.leaf(leaves.get(from));
    }
    int k = Integer.highestOneBit(n - 1);
    return hashing.node(mth(from, from + k), mth(from + k, to));
  }

  /** PATH(m, D[from:to]). */
  List<Hash> path(int m, int from, int to) {
    int n = to - from;
    List<Hash> path = new ArrayList<>();
    if (n == 1) {
      return path;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m < k) {
      path.addAll(path(m, from, from + k));
      path.add(mth(from + k, to));
    } else {
      path.addAll(path(m - k, from + k, to));
      path.add(mth(from, from + k));
    }
    return path;
  }

  /** PROOF(m, D[0:n]). */
  List<Hash> proof(int m, int n) {
    return subproof(m, 0, n, true);
  }

  private List<Hash> subproof(int m, int from, int to, boolean complete) {
    int n = to - from;
    List<Hash> proof = new ArrayList<>();
    if (m == n) {
      if (!complete) {
        proof.add(mth(from, to));
      }
      return proof;
    }
    int k = Integer.highestOneBit(n - 1);
    if (m <= k) {
      proof.addAll(subproof(m, from, from + k, complete));
      proof.add(mth(from + k, to));
    } else {
      proof.addAll(subproof(m - k, from + k, to, false));
      proof.add(mth(from, from + k));
    }
    return proof;
  }
}
