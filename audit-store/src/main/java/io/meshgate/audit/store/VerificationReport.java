package io.meshgate.audit.store;

import io.meshgate.audit.chain.ChainBreak;

/** The outcome of verifying a range of a product's stored log. */
public sealed interface VerificationReport {

  /** The product verified. */
  String product();

  /**
   * Every entry in the range recomputes to its stored hash and links to its predecessor, and every
   * signed head within the range matches the Merkle root recomputed over the log.
   *
   * @param product the product
   * @param fromSeq first seq verified
   * @param toSeq last seq verified (inclusive)
   * @param headsChecked signed tree heads whose root and signature were checked
   * @param elapsedNanos how long it took
   */
  record Valid(String product, long fromSeq, long toSeq, int headsChecked, long elapsedNanos)
      implements VerificationReport {}

  /**
   * The first bad sequence number and what is wrong with it.
   *
   * @param product the product
   * @param firstBad where and how the log is broken
   * @param elapsedNanos how long it took to find
   */
  record Invalid(String product, ChainBreak firstBad, long elapsedNanos)
      implements VerificationReport {

    /** The first bad sequence number. */
    public long seq() {
      return firstBad.seq();
    }
  }
}
