package io.meshgate.audit.chain;

import io.meshgate.audit.hash.Hash;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a product's stored entries one by one, in the order they are stored, and stops at the
 * first that does not hold: a sequence number out of place, an entry of another product, a previous
 * hash that does not link, or content that no longer matches its hash.
 *
 * <p>Streaming and constant in memory; not thread-safe.
 */
public final class ChainVerifier {

  private final String product;
  private final ChainHasher hasher = new ChainHasher();
  private final EntryTail tail;
  private long expectedSeq;

  /** The chain hash of the last entry accepted (or the starting hash). */
  private byte[] previousHash = new byte[Hash.LENGTH];

  /**
   * Where the next entry's chain hash is computed; swapped with {@link #previousHash} once it
   * holds.
   */
  private byte[] recomputed = new byte[Hash.LENGTH];

  private Optional<ChainBreak> broken = Optional.empty();

  /**
   * A verifier for {@code product}'s log from {@code firstSeq}, whose predecessor has chain hash
   * {@code previousHash} ({@link Hash#ZERO} when {@code firstSeq} is 0).
   */
  public ChainVerifier(String product, long firstSeq, Hash previousHash) {
    this.product = Objects.requireNonNull(product, "product");
    this.tail = new EntryTail(product);
    this.expectedSeq = firstSeq;
    Objects.requireNonNull(previousHash, "previousHash").copyTo(this.previousHash, 0);
  }

  /** A verifier for a whole log, from its first entry. */
  public static ChainVerifier fromStart(String product) {
    return new ChainVerifier(product, 0, Hash.ZERO);
  }

  /**
   * Checks the next stored entry.
   *
   * @return the first break found so far; once broken, later entries are not checked
   */
  public Optional<ChainBreak> accept(ChainedEntry stored) {
    if (broken.isPresent()) {
      return broken;
    }
    long seq = expectedSeq;
    if (stored.seq() != seq) {
      return fail(
          seq,
          ChainBreak.Defect.MISSING_OR_MISPLACED,
          "expected seq " + seq + ", found seq " + stored.seq());
    }
    if (!stored.entry().product().equals(product)) {
      return fail(
          seq,
          ChainBreak.Defect.WRONG_PRODUCT,
          "entry of product " + stored.entry().product() + " in the log of " + product);
    }
    if (!stored.previousHash().equalsBytes(previousHash, 0)) {
      return fail(
          seq,
          ChainBreak.Defect.BROKEN_LINK,
          "previous hash "
              + stored.previousHash()
              + " is not the chain hash of seq "
              + (seq - 1)
              + " ("
              + lastHash()
              + ")");
    }
    try {
      hasher.hashInto(previousHash, stored.entry(), recomputed, 0);
    } catch (IllegalArgumentException e) {
      return fail(
          seq, ChainBreak.Defect.UNREADABLE, "content has no canonical form: " + e.getMessage());
    }
    if (!stored.hash().equalsBytes(recomputed, 0)) {
      return fail(
          seq,
          ChainBreak.Defect.HASH_MISMATCH,
          "content hashes to " + Hash.of(recomputed) + ", stored hash is " + stored.hash());
    }
    advance(seq);
    return broken;
  }

  /**
   * Checks the next stored row given as one array holding its stored previous hash followed by its
   * stored canonical entry ({@code previous_hash || entry}, as the store selects it): exactly the
   * bytes its chain hash covers, so they are hashed in one pass, where they are, and nothing is
   * allocated. The first 32 bytes must be the chain hash of the entry before, the entry must end
   * with this product and {@code seq}, and the whole must hash to {@code storedHash}.
   *
   * @param seq the seq the row is stored under
   * @param linked the row's stored previous hash (32 bytes) followed by its stored entry bytes
   * @param storedHash the row's stored chain hash
   * @return the first break found so far
   * @throws IllegalArgumentException if {@code linked} is shorter than a hash or {@code storedHash}
   *     is not 32 bytes long (report that as {@link ChainBreak.Defect#UNREADABLE} before calling)
   */
  public Optional<ChainBreak> acceptLinked(long seq, byte[] linked, byte[] storedHash) {
    if (linked.length < Hash.LENGTH || storedHash.length != Hash.LENGTH) {
      throw new IllegalArgumentException(
          "need a 32-byte previous hash before the entry and a 32-byte hash, got "
              + linked.length
              + " and "
              + storedHash.length
              + " bytes");
    }
    if (broken.isPresent()) {
      return broken;
    }
    if (!checkPosition(seq, linked, Hash.LENGTH)) {
      return broken;
    }
    if (!Arrays.equals(linked, 0, Hash.LENGTH, previousHash, 0, Hash.LENGTH)) {
      return brokenLink(seq, Hash.of(linked, 0));
    }
    hasher.hashLinkedInto(linked, recomputed, 0);
    if (!Arrays.equals(storedHash, recomputed)) {
      return hashMismatch(seq, Hash.of(storedHash));
    }
    advance(seq);
    return broken;
  }

  /**
   * Checks seq and the product and seq the tail of the entry (starting at {@code start} of {@code
   * bytes}) names; records a break if they do not hold.
   */
  private boolean checkPosition(long seq, byte[] bytes, int start) {
    long expected = expectedSeq;
    if (seq != expected) {
      fail(
          expected,
          ChainBreak.Defect.MISSING_OR_MISPLACED,
          "expected seq " + expected + ", found seq " + seq);
      return false;
    }
    if (!tail.names(bytes, start, seq)) {
      fail(
          seq,
          ChainBreak.Defect.WRONG_PRODUCT,
          "stored entry does not end with product " + product + " and seq " + seq);
      return false;
    }
    return true;
  }

  private Optional<ChainBreak> brokenLink(long seq, Hash storedPrevious) {
    return fail(
        seq,
        ChainBreak.Defect.BROKEN_LINK,
        "previous hash "
            + storedPrevious
            + " is not the chain hash of seq "
            + (seq - 1)
            + " ("
            + lastHash()
            + ")");
  }

  private Optional<ChainBreak> hashMismatch(long seq, Hash storedHash) {
    return fail(
        seq,
        ChainBreak.Defect.HASH_MISMATCH,
        "content hashes to " + Hash.of(recomputed) + ", stored hash is " + storedHash);
  }

  /** The entry at {@code seq} held: its recomputed hash becomes the one the next entry links to. */
  private void advance(long seq) {
    byte[] last = recomputed;
    recomputed = previousHash;
    previousHash = last;
    expectedSeq = seq + 1;
  }

  /** Records a break found outside this verifier (for example a row that could not be read). */
  public Optional<ChainBreak> fail(long seq, ChainBreak.Defect defect, String detail) {
    if (broken.isEmpty()) {
      broken = Optional.of(new ChainBreak(seq, defect, detail));
    }
    return broken;
  }

  /** The sequence number the next entry must have. */
  public long expectedSeq() {
    return expectedSeq;
  }

  /** The chain hash of the last entry accepted (or the starting hash). */
  public Hash lastHash() {
    return Hash.of(previousHash);
  }

  /**
   * Copies the chain hash of the last entry accepted (or the starting hash) into {@code target} at
   * {@code offset}: what feeds a tree per entry without allocating.
   */
  public void copyLastHash(byte[] target, int offset) {
    System.arraycopy(previousHash, 0, target, offset, Hash.LENGTH);
  }

  /** The first break, if one was found. */
  public Optional<ChainBreak> broken() {
    return broken;
  }

  /**
   * Ends the check, requiring that the entries accepted reached {@code endSeq} (exclusive): a log
   * whose last entries were removed is as broken as one with a hole.
   *
   * @return the first break, if any
   */
  public Optional<ChainBreak> finish(long endSeq) {
    if (broken.isEmpty() && expectedSeq < endSeq) {
      fail(
          expectedSeq,
          ChainBreak.Defect.MISSING_OR_MISPLACED,
          "log ends before seq " + expectedSeq + ", expected entries up to seq " + (endSeq - 1));
    }
    return broken;
  }

  /**
   * Verifies a whole stored log of {@code expectedSize} entries from its first entry.
   *
   * @return empty when every entry holds, else the first break
   */
  public static Optional<ChainBreak> verify(
      String product, Iterable<ChainedEntry> stored, long expectedSize) {
    ChainVerifier verifier = fromStart(product);
    for (ChainedEntry entry : stored) {
      if (verifier.accept(entry).isPresent()) {
        break;
      }
    }
    return verifier.finish(expectedSize);
  }
}
