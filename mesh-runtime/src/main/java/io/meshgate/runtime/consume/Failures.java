package io.meshgate.runtime.consume;

import io.meshgate.runtime.deadletter.PublishException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.jspecify.annotations.Nullable;

/**
 * Tells a failure of the infrastructure or the deployment (a database or broker that is away, a
 * deadlock, a missing table) from a record that cannot be applied (a value the database refuses, a
 * constraint the record violates, a timestamp out of range). Only the second kind may send a record
 * to the dead-letter topic: were a database outage counted against each record, every record would
 * be set aside while it lasts.
 */
public final class Failures {

  /**
   * SQLSTATE classes that say nothing about the record: connection exception (08), invalid
   * transaction state (25), transaction rollback such as a serialization failure or deadlock (40),
   * syntax error or access rule violation (42: a missing table or privilege is a deployment fault,
   * values are bound as parameters), insufficient resources (53), object not in prerequisite state
   * such as a lock not available (55), operator intervention such as a shutdown (57), system error
   * (58).
   */
  private static final Set<String> TRANSIENT_SQL_STATE_CLASSES =
      Set.of("08", "25", "40", "42", "53", "55", "57", "58");

  private Failures() {}

  /** True if {@code failure}, or one of its causes, is a failure of the infrastructure. */
  public static boolean isTransient(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = next(cause)) {
      if (cause instanceof SQLTransientException
          || cause instanceof SQLRecoverableException
          || cause instanceof SQLNonTransientConnectionException
          || cause instanceof RetriableException
          || cause instanceof PublishException
          || cause instanceof SocketException
          || cause instanceof SocketTimeoutException
          || cause instanceof UnknownHostException) {
        return true;
      }
      if (cause instanceof SQLException sql && transientState(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** {@code ClassName: message} of the failure, for logs and dead letters. */
  public static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getName() + (message == null ? "" : ": " + message);
  }

  private static boolean transientState(@Nullable String sqlState) {
    return sqlState != null
        && sqlState.length() >= 2
        && TRANSIENT_SQL_STATE_CLASSES.contains(sqlState.substring(0, 2));
  }

  private static @Nullable Throwable next(Throwable cause) {
    Throwable next = cause.getCause();
    return next == cause ? null : next;
  }
}
