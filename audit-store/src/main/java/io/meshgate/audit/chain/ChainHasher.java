package io.meshgate.audit.chain;

import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import io.meshgate.audit.json.CanonicalJson;

/**
 * Computes chain hashes: {@code SHA-256(previousHash || canonical JSON of the entry)}, the 32 raw
 * bytes of the previous hash followed by the entry's UTF-8 canonical JSON ({@link EntryCodec}).
 *
 * <p>Reuses its buffers: not thread-safe; keep one per thread or per run.
 */
public final class ChainHasher {

  private final Sha256 sha256 = new Sha256();
  private final CanonicalJson json = new CanonicalJson();

  /** The chain hash of {@code entry} following an entry whose chain hash is {@code previous}. */
  public Hash hash(Hash previous, AuditEntry entry) {
    json.reset();
    EntryCodec.write(entry, json);
    return sha256.hash(previous, json.buffer(), json.length());
  }

  /** The chain hash over an entry already in canonical form. */
  public Hash hash(Hash previous, byte[] canonicalEntry) {
    return sha256.hash(previous, canonicalEntry, canonicalEntry.length);
  }

  /** {@code entry} linked after {@code previous}, with its chain hash. */
  public ChainedEntry link(Hash previous, AuditEntry entry) {
    return new ChainedEntry(entry, previous, hash(previous, entry));
  }
}
