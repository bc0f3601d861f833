package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import java.util.List;

/** A proof about a Merkle tree: that a leaf is in it, or that an older tree is a prefix of it. */
public sealed interface MerkleProof permits InclusionProof, ConsistencyProof {

  /** The proof's hashes in RFC 9162 order; at most about 2 log2(n) of them. */
  List<Hash> path();
}
