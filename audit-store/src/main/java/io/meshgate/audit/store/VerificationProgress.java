package io.meshgate.audit.store;

/** Told how far a long verification has come. */
@FunctionalInterface
public interface VerificationProgress {

  /** Ignores progress. */
  VerificationProgress NONE = progress -> {};

  /**
   * Called every {@link AuditLogOptions#progressEvery()} entries, and once more at the end if that
   * was not a step.
   */
  void onProgress(Progress progress);

  /**
   * A verification's progress.
   *
   * @param product the product being verified
   * @param fromSeq first seq of the range
   * @param toSeq last seq of the range (inclusive)
   * @param verifiedThrough the last seq verified so far ({@code fromSeq - 1} before the first)
   * @param elapsedNanos time since the verification started
   */
  record Progress(
      String product, long fromSeq, long toSeq, long verifiedThrough, long elapsedNanos) {

    /** Entries verified so far. */
    public long entriesVerified() {
      return verifiedThrough - fromSeq + 1;
    }

    /** Fraction of the range done, from 0 to 1. */
    public double fractionDone() {
      long total = toSeq - fromSeq + 1;
      return total <= 0 ? 1 : (double) entriesVerified() / total;
    }
  }
}
