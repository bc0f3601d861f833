package io.meshgate.audit.hash;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 digest: 32 bytes compared by value, printed as lower-case hex. Immutable: the bytes are
 * copied in and out.
 */
public final class Hash implements Comparable<Hash> {

  /** Length of a SHA-256 digest in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  /** 32 zero bytes: the previous hash of the first entry of every chain. */
  public static final Hash ZERO = new Hash(new byte[LENGTH]);

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A hash of the given 32 bytes (copied).
   *
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static Hash of(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + bytes.length);
    }
    return new Hash(bytes.clone());
  }

  /**
   * A hash of the 32 bytes of {@code source} from {@code offset} (copied).
   *
   * @throws IndexOutOfBoundsException if fewer than 32 bytes follow {@code offset}
   */
  public static Hash of(byte[] source, int offset) {
    Objects.checkFromIndexSize(offset, LENGTH, source.length);
    return new Hash(Arrays.copyOfRange(source, offset, offset + LENGTH));
  }

  /** A hash taking ownership of {@code bytes}, for digests just computed and never shared. */
  static Hash wrap(byte[] bytes) {
    return new Hash(bytes);
  }

  /**
   * Parses 64 hex digits (either case).
   *
   * @throws IllegalArgumentException if {@code hex} is not 64 hex digits
   */
  public static Hash ofHex(String hex) {
    Objects.requireNonNull(hex, "hex");
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "a SHA-256 hash is 64 hex digits, got " + hex.length() + " characters");
    }
    try {
      return new Hash(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a hex SHA-256 hash: " + hex, e);
    }
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The backing array, for hashing within this package only: never modified, never handed out. */
  byte[] bytesUnsafe() {
    return bytes;
  }

  /** Copies the 32 bytes into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  /** True iff the 32 bytes of {@code other} from {@code offset} are this hash (no copy). */
  public boolean equalsBytes(byte[] other, int offset) {
    Objects.checkFromIndexSize(offset, LENGTH, other.length);
    return Arrays.equals(bytes, 0, LENGTH, other, offset, offset + LENGTH);
  }

  /** The 64 lower-case hex digits. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash hash && Arrays.equals(bytes, hash.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Hash other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
