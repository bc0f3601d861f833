package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9162 consistency proof (§2.1.4.1): that the tree of the first {@code firstSize} leaves is
 * a prefix of the tree of the first {@code secondSize} leaves, so nothing logged was changed or
 * removed between the two tree heads.
 *
 * @param firstSize size of the older tree
 * @param secondSize size of the newer tree, at least {@code firstSize}
 * @param path the proof's hashes
 */
public record ConsistencyProof(long firstSize, long secondSize, List<Hash> path)
    implements MerkleProof {

  public ConsistencyProof {
    if (firstSize < 0 || secondSize < firstSize) {
      throw new IllegalArgumentException(
          "need 0 <= firstSize <= secondSize: " + firstSize + ", " + secondSize);
    }
    path = List.copyOf(Objects.requireNonNull(path, "path"));
  }

  /**
   * Verifies the proof against the two roots, by RFC 9162 §2.1.4.2 for {@code 0 < firstSize <
   * secondSize}. The RFC leaves the trivial cases to the verifier: the empty tree is a prefix of
   * every tree (empty path), and a tree is consistent with itself iff the roots are equal (empty
   * path).
   *
   * @return true iff the tree with root {@code firstHash} is a prefix of the tree with root {@code
   *     secondHash}
   */
  public boolean verify(Hash firstHash, Hash secondHash) {
    if (firstSize == 0) {
      return path.isEmpty();
    }
    if (firstSize == secondSize) {
      return path.isEmpty() && firstHash.equals(secondHash);
    }
    // Step 1.
    if (path.isEmpty()) {
      return false;
    }
    // Step 2.
    List<Hash> proof = new ArrayList<>(path.size() + 1);
    if (Long.bitCount(firstSize) == 1) {
      proof.add(firstHash);
    }
    proof.addAll(path);
    // Steps 3 and 4.
    long fn = firstSize - 1;
    long sn = secondSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    // Step 5.
    MerkleHashing hashing = new MerkleHashing();
    Hash fr = proof.getFirst();
    Hash sr = proof.getFirst();
    // Step 6.
    for (Hash c : proof.subList(1, proof.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = hashing.node(c, fr);
        sr = hashing.node(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = hashing.node(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    // Step 7.
    return fr.equals(firstHash) && sr.equals(secondHash) && sn == 0;
  }
}
