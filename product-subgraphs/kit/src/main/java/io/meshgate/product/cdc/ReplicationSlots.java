package io.meshgate.product.cdc;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a product's replication slot says about itself, and how a slot Postgres invalidated shows
 * up. A slot holds back the WAL its consumer has not confirmed; {@code max_slot_wal_keep_size} caps
 * that, and a slot that falls further behind is invalidated ({@code wal_status = 'lost'} in {@code
 * pg_replication_slots}): the changes it had not delivered are gone from the WAL, and the only way
 * on is a new snapshot.
 */
public final class ReplicationSlots {

  /** {@code pg_replication_slots.wal_status} of a slot that can no longer deliver changes. */
  public static final String LOST = "lost";

  /** What Postgres says when a logical slot that was invalidated is read from. */
  private static final String INVALIDATED_MESSAGE =
      "can no longer get changes from replication slot";

  private ReplicationSlots() {}

  /**
   * The slot's {@code wal_status} ({@code reserved}, {@code extended}, {@code unreserved} or {@link
   * #LOST}), or null if there is no such slot.
   */
  public static @Nullable String walStatus(Connection connection, String slot) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?")) {
      statement.setString(1, slot);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** True if the status is that of an invalidated slot. */
  public static boolean isLost(@Nullable String walStatus) {
    return walStatus != null && walStatus.toLowerCase(Locale.ROOT).equals(LOST);
  }

  /** True if {@code failure}, or one of its causes, is Postgres refusing an invalidated slot. */
  public static boolean isInvalidationError(Throwable failure) {
    for (Throwable cause = failure;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && message.contains(INVALIDATED_MESSAGE)) {
        return true;
      }
    }
    return false;
  }

  /** Drops the slot, if it is there and not in use. */
  static void drop(Connection connection, String slot) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name ="
                + " ? AND NOT active")) {
      statement.setString(1, slot);
      statement.execute();
    }
  }

  /**
   * The one line an invalidated slot is reported with: what happened and the recovery (a new
   * snapshot: delete the capture offsets and start again; the capture then drops the slot).
   */
  public static String invalidatedMessage(String product, String slot, Path offsetFile) {
    return product
        + " capture stopped: replication slot "
        + slot
        + " was invalidated (wal_status 'lost': it fell further behind than max_slot_wal_keep_size,"
        + " so Postgres removed WAL it had not delivered). To recover, re-snapshot: stop the mesh,"
        + " delete "
        + offsetFile.toAbsolutePath()
        + " and start it again; the capture then"
        + " drops the slot and snapshots "
        + product
        + " anew (see README, 'Replication slots')";
  }
}
