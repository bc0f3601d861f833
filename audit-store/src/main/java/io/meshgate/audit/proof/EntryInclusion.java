package io.meshgate.audit.proof;

import io.meshgate.audit.chain.AuditEntry;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.merkle.InclusionProof;
import io.meshgate.audit.sign.SignedTreeHead;
import java.util.Objects;

/**
 * Proof that an entry is in a product's log: the entry with its previous chain hash (which gives
 * its chain hash, the Merkle leaf), the audit path to the root, and the signed head of that root.
 *
 * @param entry the entry
 * @param previousHash chain hash of the entry before it
 * @param inclusion audit path from the entry's leaf to the head's root
 * @param head the signed tree head the path leads to
 */
public record EntryInclusion(
    AuditEntry entry, Hash previousHash, InclusionProof inclusion, SignedTreeHead head)
    implements AuditProof {

  public EntryInclusion {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(inclusion, "inclusion");
    Objects.requireNonNull(head, "head");
  }

  @Override
  public String product() {
    return entry.product();
  }
}
