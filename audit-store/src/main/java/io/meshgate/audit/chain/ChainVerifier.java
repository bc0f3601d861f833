package io.meshgate.audit.chain;

import io.meshgate.audit.hash.Hash;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a product's stored entries one by one, in the order they are stored, and stops at the first
 * that does not hold: a sequence number out of place, an entry of another product, a previous hash
 * that does not link, or content that no longer matches its hash.
 *
 * <p>Streaming and constant in memory; not thread-safe.
 */
public final class ChainVerifier {

  private final String product;
  private final ChainHasher hasher = new ChainHasher();
  private final EntryTail tail;
  private long expectedSeq;
  private Hash previousHash;
  private Optional<ChainBreak> broken = Optional.empty();

  /**
   * A verifier for {@code product}'s log from {@code firstSeq}, whose predecessor has chain hash
   * {@code previousHash} ({@link Hash#ZERO} when {@code firstSeq} is 0).
   */
  public ChainVerifier(String product, long firstSeq, Hash previousHash) {
    this.product = Objects.requireNonNull(product, "product");
    this.tail = new EntryTail(product);
    this.expectedSeq = firstSeq;
    this.previousHash = Objects.requireNonNull(previousHash, "previousHash");
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
      return fail(seq, ChainBreak.Defect.MISSING_OR_MISPLACED, "expected seq " + seq + ", found seq " + stored.seq());
    }
    if (!stored.entry().product().equals(product)) {
      return fail(seq, ChainBreak.Defect.WRONG_PRODUCT, "entry of product " + stored.entry().product() + " in the log of " + product);
    }
    if (!stored.previousHash().equals(previousHash)) {
      return fail(seq, ChainBreak.Defect.BROKEN_LINK, "previous hash " + stored.previousHash() + " is not the chain hash of seq " + (seq - 1) + " (" + previousHash + ")");
    }
    Hash recomputed;
    try {
      recomputed = hasher.hash(previousHash, stored.entry());
    } catch (IllegalArgumentException e) {
      return fail(seq, ChainBreak.Defect.UNREADABLE, "content has no canonical form: " + e.getMessage());
    }
    if (!recomputed.equals(stored.hash())) {
      return fail(seq, ChainBreak.Defect.HASH_MISMATCH, "content hashes to " + recomputed + ", stored hash is " + stored.hash());
    }
    previousHash = recomputed;
    expectedSeq = seq + 1;
    return broken;
  }

  /**
   * Checks the next stored entry given as its stored canonical bytes, without decoding them: the
   * bytes must end with this product's name and the expected seq (they are the last members of every
   * canonical entry), link to the previous chain hash, and hash to the stored hash. This is what a
   * verifier of stored rows runs: its cost is the hashing.
   *
   * @param seq the seq the row is stored under
   * @param canonicalEntry the stored bytes the chain hash covers
   * @param storedPrevious the row's stored previous hash
   * @param storedHash the row's stored chain hash
   * @return the first break found so far
   */
  public Optional<ChainBreak> acceptEncoded(long seq, byte[] canonicalEntry, Hash storedPrevious, Hash storedHash) {
    if (broken.isPresent()) {
      return broken;
    }
    long expected = expectedSeq;
    if (seq != expected) {
      return fail(expected, ChainBreak.Defect.MISSING_OR_MISPLACED, "expected seq " + expected + ", found seq " + seq);
    }
    if (!tail.names(canonicalEntry, seq)) {
      return fail(seq, ChainBreak.Defect.WRONG_PRODUCT, "stored entry does not end with product " + product + " and seq " + seq);
    }
    if (!storedPrevious.equals(previousHash)) {
      return fail(seq, ChainBreak.Defect.BROKEN_LINK, "previous hash " + storedPrevious + " is not the chain hash of seq " + (seq - 1) + " (" + previousHash + ")");
    }
    Hash recomputed = hasher.hash(previousHash, canonicalEntry);
    if (!recomputed.equals(storedHash)) {
      return fail(seq, ChainBreak.Defect.HASH_MISMATCH, "content hashes to " + recomputed + ", stored hash is " + storedHash);
    }
    previousHash = recomputed;
    expectedSeq = seq + 1;
    return broken;
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
    return previousHash;
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
      fail(expectedSeq, ChainBreak.Defect.MISSING_OR_MISPLACED, "log ends before seq " + expectedSeq + ", expected entries up to seq " + (endSeq - 1));
    }
    return broken;
  }

  /**
   * Verifies a whole stored log of {@code expectedSize} entries from its first entry.
   *
   * @return empty when every entry holds, else the first break
   */
  public static Optional<ChainBreak> verify(String product, Iterable<ChainedEntry> stored, long expectedSize) {
    ChainVerifier verifier = fromStart(product);
    for (ChainedEntry entry : stored) {
      if (verifier.accept(entry).isPresent()) {
        break;
      }
    }
    return verifier.finish(expectedSize);
  }
}
