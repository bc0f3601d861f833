package io.meshgate.catalog.index;

/**
 * Tuning of the index writer.
 *
 * @param ramBufferMb memory for buffered documents before a segment is flushed
 * @param indexThreads threads that build and add documents in {@link CatalogIndex#applyAll} and
 *     rebuilds (records of one dataset always stay in order on one thread), and that search
 *     segments in parallel
 */
public record IndexOptions(double ramBufferMb, int indexThreads) {

  public IndexOptions {
    if (ramBufferMb < 1) {
      throw new IllegalArgumentException("ramBufferMb must be at least 1: " + ramBufferMb);
    }
    if (indexThreads < 1) {
      throw new IllegalArgumentException("indexThreads must be at least 1: " + indexThreads);
    }
  }

  /** 64 MB of buffer (bulk rebuilds flush few, large segments) and a thread per core. */
  public static IndexOptions defaults() {
    return new IndexOptions(64, Runtime.getRuntime().availableProcessors());
  }

  /** These options with {@code threads} index threads. */
  public IndexOptions withIndexThreads(int threads) {
    return new IndexOptions(ramBufferMb, threads);
  }
}
