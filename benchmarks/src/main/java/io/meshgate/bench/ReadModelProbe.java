package io.meshgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.HdrHistogram.Histogram;

/**
 * Reads {@code applied_at} from the sales read model to split the last stretch in two: the
 * read-model consumer applying a change, and the reader seeing it through the subgraph. Only the
 * row's latest change is there, so after a run this samples each customer's last change. The
 * product runs in this JVM, so {@code applied_at} comes from the same wall clock as the timeline.
 */
final class ReadModelProbe implements AutoCloseable {

  private static final String QUERY =
      "SELECT name, applied_at FROM sales_read.customers WHERE name LIKE ?";

  private final Connection connection;
  private final Marker marker;
  private final ChangeTimeline timeline;

  ReadModelProbe(Connection connection, Marker marker, ChangeTimeline timeline) {
    this.connection = connection;
    this.marker = marker;
    this.timeline = timeline;
  }

  /**
   * @param commitToApplied from commit to the read-model upsert (µs)
   * @param appliedToVisible from the upsert to the reader seeing it (µs)
   */
  record Sample(Histogram commitToApplied, Histogram appliedToVisible) {}

  /** Samples the changes {@code fromSeq .. toSeq - 1} that are still their customer's latest. */
  Sample sample(long fromSeq, long toSeq) throws SQLException {
    Histogram commitToApplied = new Histogram(3);
    Histogram appliedToVisible = new Histogram(3);
    try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
      statement.setString(1, marker.likePattern());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          long seq = marker.seqOf(rows.getString(1));
          if (seq < fromSeq || seq >= toSeq) {
            continue;
          }
          long applied =
              timeline.fromWallClock(rows.getObject(2, OffsetDateTime.class).toInstant());
          long committed = timeline.committed.get((int) seq);
          long visible = timeline.visible.get((int) seq);
          if (committed != 0 && visible != 0) {
            commitToApplied.recordValue(RateResult.micros(applied - committed));
            appliedToVisible.recordValue(RateResult.micros(visible - applied));
          }
        }
      }
    }
    return new Sample(commitToApplied, appliedToVisible);
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
