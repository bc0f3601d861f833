package io.meshgate.catalog.index;

/**
 * Tuning of the index writer.
 *
 * @param ramBufferMb memory for buffered documents before a segment is flushed
 */
public record IndexOptions(double ramBufferMb) {

  public IndexOptions {
    if (ramBufferMb < 1) {
      throw new IllegalArgumentException("ramBufferMb must be at least 1: " + ramBufferMb);
    }
  }

  /** 64 MB of buffer: bulk rebuilds flush few, large segments. */
  public static IndexOptions defaults() {
    return new IndexOptions(64);
  }
}
