package io.meshgate.bench;

/**
 * The customer name a change writes, {@code bench <run> <seq>}: unique per change, and per run so
 * that rows left in a reused data directory by an earlier run are never taken for this run's.
 *
 * @param runId identifies this run of the benchmark
 */
record Marker(String runId) {

  /** The name written by change {@code seq}. */
  String of(long seq) {
    return prefix() + seq;
  }

  /** The change sequence number in {@code name}, or -1 if it is not a marker of this run. */
  long seqOf(String name) {
    String prefix = prefix();
    if (!name.startsWith(prefix)) {
      return -1;
    }
    try {
      return Long.parseLong(name, prefix.length(), name.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** A SQL {@code LIKE} pattern matching every marker of this run. */
  String likePattern() {
    return prefix() + "%";
  }

  private String prefix() {
    return "bench " + runId + " ";
  }
}
