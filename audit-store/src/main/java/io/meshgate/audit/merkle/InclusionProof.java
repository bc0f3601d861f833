package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 inclusion proof (§2.1.3.1): the audit path from leaf {@code leafIndex} to the root of
 * the tree of the first {@code treeSize} leaves.
 *
 * @param leafIndex index of the leaf, from 0
 * @param treeSize size of the tree whose root the path leads to
 * @param path sibling hashes from the leaf up
 */
public record InclusionProof(long leafIndex, long treeSize, List<Hash> path)
    implements MerkleProof {

  public InclusionProof {
    if (leafIndex < 0 || treeSize < 0) {
      throw new IllegalArgumentException(
          "leafIndex and treeSize must be >= 0: " + leafIndex + ", " + treeSize);
    }
    path = List.copyOf(Objects.requireNonNull(path, "path"));
  }

  /**
   * Verifies the proof for a leaf hash against a root, exactly as RFC 9162 §2.1.3.2 prescribes.
   *
   * @param leafHash {@code SHA-256(0x00 || leaf)} of the leaf claimed to be at {@code leafIndex}
   * @param rootHash the root of the tree of {@code treeSize} leaves
   * @return true iff the path leads from {@code leafHash} at {@code leafIndex} to {@code rootHash}
   */
  public boolean verify(Hash leafHash, Hash rootHash) {
    if (leafIndex >= treeSize) {
      return false;
    }
    MerkleHashing hashing = new MerkleHashing();
    long fn = leafIndex;
    long sn = treeSize - 1;
    Hash r = leafHash;
    for (Hash p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = hashing.node(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = hashing.node(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && r.equals(rootHash);
  }
}
