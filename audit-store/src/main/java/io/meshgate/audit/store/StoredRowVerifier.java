package io.meshgate.audit.store;

import io.meshgate.audit.chain.ChainBreak;
import io.meshgate.audit.chain.ChainVerifier;
import io.meshgate.audit.hash.Hash;
import java.util.Optional;

/**
 * Checks a product's stored rows one by one, in seq order, as {@link AuditLog#verify} streams them
 * from the database: the chain ({@link ChainVerifier#acceptLinked}) and then the row's indexed
 * position columns against what its hashed entry says ({@link PositionCheck}). Stops at the first
 * row that does not hold. Allocates nothing per row; not thread-safe.
 */
public final class StoredRowVerifier {

  private final ChainVerifier chain;
  private final PositionCheck positions = new PositionCheck();

  /**
   * A verifier for {@code product}'s rows from {@code firstSeq}, whose predecessor has chain hash
   * {@code anchor} ({@link Hash#ZERO} when {@code firstSeq} is 0).
   */
  public StoredRowVerifier(String product, long firstSeq, Hash anchor) {
    this.chain = new ChainVerifier(product, firstSeq, anchor);
  }

  /**
   * Checks the next stored row.
   *
   * @param seq the row's seq
   * @param linked the row's previous hash followed by its entry bytes ({@code previous_hash ||
   *     entry})
   * @param storedHash the row's chain hash
   * @param previousHashLength the length of the row's stored previous hash
   * @param entity the row's entity column
   * @param lsn the row's source LSN column
   * @param canonicalKey the row's source key column (the key's canonical JSON)
   * @return the first break found so far
   */
  public Optional<ChainBreak> accept(
      long seq,
      byte[] linked,
      byte[] storedHash,
      int previousHashLength,
      String entity,
      long lsn,
      byte[] canonicalKey) {
    if (chain.broken().isPresent()) {
      return chain.broken();
    }
    if (previousHashLength != Hash.LENGTH
        || storedHash.length != Hash.LENGTH
        || linked.length < Hash.LENGTH) {
      return chain.fail(
          chain.expectedSeq(),
          ChainBreak.Defect.UNREADABLE,
          "the stored hashes of seq " + seq + " are not 32 bytes long");
    }
    Optional<ChainBreak> broken = chain.acceptLinked(seq, linked, storedHash);
    // The position columns are checked on entries whose hash held: the bytes that were appended,
    // whose layout is known.
    if (broken.isEmpty() && !positions.matches(linked, Hash.LENGTH, entity, lsn, canonicalKey)) {
      return chain.fail(
          seq,
          ChainBreak.Defect.POSITION_MISMATCH,
          "the indexed entity, key or LSN of seq "
              + seq
              + " differ from what its hashed entry says");
    }
    return broken;
  }

  /**
   * Copies the chain hash of the last row accepted into {@code target} at {@code offset}: the next
   * Merkle leaf.
   */
  public void copyLastHash(byte[] target, int offset) {
    chain.copyLastHash(target, offset);
  }

  /** The seq the next row must have. */
  public long expectedSeq() {
    return chain.expectedSeq();
  }

  /** The first break, if one was found. */
  public Optional<ChainBreak> broken() {
    return chain.broken();
  }

  /**
   * Ends the check, requiring rows up to {@code endSeq} (exclusive); see {@link
   * ChainVerifier#finish}.
   */
  public Optional<ChainBreak> finish(long endSeq) {
    return chain.finish(endSeq);
  }
}
