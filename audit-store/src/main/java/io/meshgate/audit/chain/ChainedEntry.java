package io.meshgate.audit.chain;

import io.meshgate.audit.hash.Hash;
import java.util.Objects;

/**
 * An audit entry as stored: with the hash of the entry before it and its own chain hash, {@code
 * hash = SHA-256(previousHash || canonical JSON of entry)}.
 *
 * @param entry the entry
 * @param previousHash the chain hash of entry {@code seq - 1}, or {@link Hash#ZERO} for the first
 * @param hash this entry's chain hash as stored (a verifier recomputes it)
 */
public record ChainedEntry(AuditEntry entry, Hash previousHash, Hash hash) {

  public ChainedEntry {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(hash, "hash");
  }

  /** The entry's position in its log. */
  public long seq() {
    return entry.seq();
  }
}
