package io.meshgate.audit.merkle;

import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;

/**
 * RFC 9162 §2.1.1 hashing with domain separation: leaves and interior nodes can never be confused.
 *
 * <p>The leaf data of the audit log is each entry's 32-byte chain hash, so the tree commits to the
 * chain and the chain to every entry's content. Not thread-safe (reuses one digest).
 */
public final class MerkleHashing {

  /** Prefix of a leaf hash. */
  public static final byte LEAF_PREFIX = 0x00;

  /** Prefix of an interior node hash. */
  public static final byte NODE_PREFIX = 0x01;

  /** The root of the empty tree: SHA-256 of the empty string. */
  public static final Hash EMPTY_ROOT = new Sha256().hash(new byte[0]);

  private final Sha256 sha256 = new Sha256();

  /** {@code SHA-256(0x00 || leaf)} for a 32-byte leaf (an entry's chain hash). */
  public Hash leaf(Hash leafData) {
    return sha256.hash(LEAF_PREFIX, leafData);
  }

  /** {@code SHA-256(0x00 || leaf)} for any leaf data. */
  public Hash leaf(byte[] leafData) {
    return sha256.hash(LEAF_PREFIX, leafData);
  }

  /** {@code SHA-256(0x01 || left || right)}. */
  public Hash node(Hash left, Hash right) {
    return sha256.hash(NODE_PREFIX, left, right);
  }

  /** The largest power of two smaller than {@code n}, for {@code n > 1}: where RFC 9162 splits. */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }
}
