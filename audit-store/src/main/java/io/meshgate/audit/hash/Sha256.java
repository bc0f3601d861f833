package io.meshgate.audit.hash;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A reusable SHA-256 computation. Not thread-safe: each thread (or each verification run) keeps its
 * own, which avoids looking up a provider for every one of millions of hashes.
 */
public final class Sha256 {

  private final MessageDigest digest;

  /** Prefix byte and up to two hashes, hashed with one update: leaves and nodes are most hashes. */
  private final byte[] small = new byte[1 + 2 * Hash.LENGTH];

  public Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** SHA-256 of {@code data}. */
  public Hash hash(byte[] data) {
    return Hash.wrap(digest.digest(data));
  }

  /** SHA-256 of {@code length} bytes of {@code data} from {@code offset}. */
  public Hash hash(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
    return Hash.wrap(digest.digest());
  }

  /** SHA-256 over {@code first} followed by {@code length} bytes of {@code rest}. */
  public Hash hash(Hash first, byte[] rest, int length) {
    digest.update(first.bytesUnsafe());
    digest.update(rest, 0, length);
    return Hash.wrap(digest.digest());
  }

  /** SHA-256 over one prefix byte and a hash: an RFC 9162 leaf over a 32-byte leaf. */
  public Hash hash(byte prefix, Hash data) {
    small[0] = prefix;
    System.arraycopy(data.bytesUnsafe(), 0, small, 1, Hash.LENGTH);
    digest.update(small, 0, 1 + Hash.LENGTH);
    return Hash.wrap(digest.digest());
  }

  /** SHA-256 over one prefix byte and two hashes: an RFC 9162 interior node. */
  public Hash hash(byte prefix, Hash left, Hash right) {
    small[0] = prefix;
    System.arraycopy(left.bytesUnsafe(), 0, small, 1, Hash.LENGTH);
    System.arraycopy(right.bytesUnsafe(), 0, small, 1 + Hash.LENGTH, Hash.LENGTH);
    digest.update(small, 0, small.length);
    return Hash.wrap(digest.digest());
  }

  /**
   * SHA-256 over {@code firstLength} bytes of {@code first} from {@code firstOffset} followed by
   * {@code restLength} bytes of {@code rest} from {@code restOffset}, written as 32 bytes into
   * {@code out} at {@code outOffset}. Allocates nothing: this is what verifiers run once per entry.
   * {@code out} may overlap the input (the input is consumed before the digest is written).
   */
  public void hashInto(
      byte[] first,
      int firstOffset,
      int firstLength,
      byte[] rest,
      int restOffset,
      int restLength,
      byte[] out,
      int outOffset) {
    digest.update(first, firstOffset, firstLength);
    digest.update(rest, restOffset, restLength);
    finishInto(out, outOffset);
  }

  /**
   * SHA-256 of {@code length} bytes of {@code data} from {@code offset}, written as 32 bytes into
   * {@code out} at {@code outOffset}; allocates nothing and may overlap the input.
   */
  public void hashInto(byte[] data, int offset, int length, byte[] out, int outOffset) {
    digest.update(data, offset, length);
    finishInto(out, outOffset);
  }

  private void finishInto(byte[] out, int outOffset) {
    try {
      digest.digest(out, outOffset, Hash.LENGTH);
    } catch (DigestException e) {
      throw new IndexOutOfBoundsException(
          "no room for a SHA-256 hash at " + outOffset + " of " + out.length + " bytes");
    }
  }

  /** SHA-256 over one prefix byte and {@code data}. */
  public Hash hash(byte prefix, byte[] data) {
    digest.update(prefix);
    digest.update(data);
    return Hash.wrap(digest.digest());
  }
}
