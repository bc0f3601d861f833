package io.meshgate.audit.job;

/** Where a verification job stands. */
public enum JobState {
  /** Started, waiting for a verification thread. */
  QUEUED,
  /** Reading and checking the log. */
  RUNNING,
  /** Finished: every entry and signed head it covers is intact. */
  SUCCEEDED,
  /**
   * Finished: a break was found, or the job could not finish (the database failed, the service
   * stopped).
   */
  FAILED;

  /** Whether the job has finished. */
  public boolean finished() {
    return this == SUCCEEDED || this == FAILED;
  }
}
