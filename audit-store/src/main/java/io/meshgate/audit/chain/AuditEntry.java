package io.meshgate.audit.chain;

import java.util.Objects;

/**
 * One entry of a product's audit log: a change event at its place in the log.
 *
 * @param seq position in the product's log, from 0, without gaps
 * @param change the change recorded
 */
public record AuditEntry(long seq, ChangeEvent change) {

  public AuditEntry {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must be >= 0: " + seq);
    }
    Objects.requireNonNull(change, "change");
  }

  /** The product whose log holds this entry. */
  public String product() {
    return change.product();
  }
}
