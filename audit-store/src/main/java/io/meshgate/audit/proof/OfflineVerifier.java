package io.meshgate.audit.proof;

import io.meshgate.audit.chain.ChainHasher;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.merkle.MerkleHashing;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.audit.sign.TreeHeadSigner;
import java.security.PublicKey;
import java.util.Objects;

/**
 * Checks audit proofs with nothing but the log's public key: no database, no network. Every check
 * the proof relies on is made, and the first that fails is reported.
 */
public final class OfflineVerifier {

  private final PublicKey publicKey;

  public OfflineVerifier(PublicKey publicKey) {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
  }

  /** Checks {@code proof}. */
  public ProofVerdict verify(AuditProof proof) {
    return switch (proof) {
      case EntryInclusion inclusion -> verifyInclusion(inclusion);
      case HeadConsistency consistency -> verifyConsistency(consistency);
    };
  }

  private ProofVerdict verifyInclusion(EntryInclusion proof) {
    SignedTreeHead head = proof.head();
    long seq = proof.entry().seq();
    if (!TreeHeadSigner.verify(head, publicKey)) {
      return new ProofVerdict.Invalid(
          "the tree head's signature does not verify with the given public key");
    }
    if (!head.product().equals(proof.entry().product())) {
      return new ProofVerdict.Invalid(
          "the entry belongs to product "
              + proof.entry().product()
              + " but the tree head to "
              + head.product());
    }
    if (proof.inclusion().leafIndex() != seq) {
      return new ProofVerdict.Invalid(
          "the entry has seq "
              + seq
              + " but the proof is for leaf "
              + proof.inclusion().leafIndex());
    }
    if (proof.inclusion().treeSize() != head.treeSize()) {
      return new ProofVerdict.Invalid(
          "the proof is for a tree of "
              + proof.inclusion().treeSize()
              + " entries but the head covers "
              + head.treeSize());
    }
    if (seq >= head.treeSize()) {
      return new ProofVerdict.Invalid(
          "seq " + seq + " is not covered by a head of " + head.treeSize() + " entries");
    }
    Hash chainHash = new ChainHasher().hash(proof.previousHash(), proof.entry());
    Hash leafHash = new MerkleHashing().leaf(chainHash);
    if (!proof.inclusion().verify(leafHash, head.rootHash())) {
      return new ProofVerdict.Invalid(
          "the audit path from entry "
              + seq
              + " (chain hash "
              + chainHash
              + ") does not lead to the signed root "
              + head.rootHash());
    }
    return new ProofVerdict.Valid(
        "valid: entry "
            + seq
            + " of "
            + head.product()
            + " (chain hash "
            + chainHash
            + ") is in the signed tree of "
            + head.treeSize()
            + " entries, root "
            + head.rootHash()
            + ", signed "
            + head.timestamp());
  }

  private ProofVerdict verifyConsistency(HeadConsistency proof) {
    SignedTreeHead first = proof.first();
    SignedTreeHead second = proof.second();
    if (!TreeHeadSigner.verify(first, publicKey)) {
      return new ProofVerdict.Invalid(
          "the first tree head's signature does not verify with the given public key");
    }
    if (!TreeHeadSigner.verify(second, publicKey)) {
      return new ProofVerdict.Invalid(
          "the second tree head's signature does not verify with the given public key");
    }
    if (!first.product().equals(second.product())) {
      return new ProofVerdict.Invalid(
          "the heads belong to different products: "
              + first.product()
              + " and "
              + second.product());
    }
    if (proof.consistency().firstSize() != first.treeSize()
        || proof.consistency().secondSize() != second.treeSize()) {
      return new ProofVerdict.Invalid(
          "the proof is between sizes "
              + proof.consistency().firstSize()
              + " and "
              + proof.consistency().secondSize()
              + " but the heads cover "
              + first.treeSize()
              + " and "
              + second.treeSize());
    }
    if (!proof.consistency().verify(first.rootHash(), second.rootHash())) {
      return new ProofVerdict.Invalid(
          "the tree of "
              + first.treeSize()
              + " entries (root "
              + first.rootHash()
              + ") is not a prefix of the tree of "
              + second.treeSize()
              + " entries (root "
              + second.rootHash()
              + ")");
    }
    return new ProofVerdict.Valid(
        "valid: the log of "
            + second.product()
            + " only grew from "
            + first.treeSize()
            + " entries (signed "
            + first.timestamp()
            + ") to "
            + second.treeSize()
            + " entries (signed "
            + second.timestamp()
            + ")");
  }
}
