package io.meshgate.runtime.events;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where a change came from in its product's write-ahead log. The LSN orders the changes of one
 * product; consumers use it to ignore redelivered or stale events.
 *
 * @param lsn log sequence number of the change
 * @param txId source transaction id, when known
 * @param commitTime commit time of the source transaction
 * @param snapshot true for rows read by the initial snapshot
 */
public record SourcePosition(long lsn, @Nullable Long txId, Instant commitTime, boolean snapshot) {

  public SourcePosition {
    if (lsn < 0) {
      throw new IllegalArgumentException("lsn must be >= 0: " + lsn);
    }
  }

  /** The LSN in Postgres' textual form, e.g. {@code 0/16B3748}. */
  public String lsnText() {
    return Long.toHexString(lsn >>> 32).toUpperCase()
        + "/"
        + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
  }
}
