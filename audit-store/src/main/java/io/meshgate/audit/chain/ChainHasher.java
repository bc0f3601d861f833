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

  /**
   * Writes the chain hash of {@code entry} following the 32-byte chain hash {@code previous} into
   * {@code out} at {@code outOffset}, allocating no hash.
   */
  public void hashInto(byte[] previous, AuditEntry entry, byte[] out, int outOffset) {
    json.reset();
    EntryCodec.write(entry, json);
    sha256.hashInto(previous, 0, Hash.LENGTH, json.buffer(), 0, json.length(), out, outOffset);
  }

  /**
   * Writes the chain hash over {@code linked}, a 32-byte previous chain hash followed by an entry
   * already in canonical form, into {@code out} at {@code outOffset}: the bytes are hashed in one
   * pass, where they are, and nothing is allocated.
   */
  public void hashLinkedInto(byte[] linked, byte[] out, int outOffset) {
    sha256.hashInto(linked, 0, linked.length, out, outOffset);
  }

  /** {@code entry} linked after {@code previous}, with its chain hash. */
  public ChainedEntry link(Hash previous, AuditEntry entry) {
    return new ChainedEntry(entry, previous, hash(previous, entry));
  }
}
