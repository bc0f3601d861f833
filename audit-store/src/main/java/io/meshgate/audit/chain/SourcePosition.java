package io.meshgate.audit.chain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a change came from in its product's write-ahead log.
 *
 * <p>The commit time is kept to the microsecond, PostgreSQL's precision, so that an entry read back
 * from the store hashes exactly as it did when it was appended.
 *
 * @param lsn log sequence number of the change; orders the changes of one product
 * @param txId source transaction id, when known
 * @param commitTime commit time of the source transaction
 */
public record SourcePosition(long lsn, @Nullable Long txId, Instant commitTime) {

  public SourcePosition {
    if (lsn < 0) {
      throw new IllegalArgumentException("lsn must be >= 0: " + lsn);
    }
    if (txId != null && txId < 0) {
      throw new IllegalArgumentException("txId must be >= 0: " + txId);
    }
    commitTime = Objects.requireNonNull(commitTime, "commitTime").truncatedTo(ChronoUnit.MICROS);
  }
}
