package io.meshgate.audit.proof;

import io.meshgate.audit.merkle.ConsistencyProof;
import io.meshgate.audit.sign.SignedTreeHead;
import java.util.Objects;

/**
 * Proof that a product's log only grew between two signed heads: the older tree is a prefix of the
 * newer one, so no entry it covered was changed, removed or reordered.
 *
 * @param first the older head
 * @param second the newer head
 * @param consistency the RFC 9162 consistency proof between their sizes
 */
public record HeadConsistency(
    SignedTreeHead first, SignedTreeHead second, ConsistencyProof consistency)
    implements AuditProof {

  public HeadConsistency {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(second, "second");
    Objects.requireNonNull(consistency, "consistency");
  }

  @Override
  public String product() {
    return second.product();
  }
}
