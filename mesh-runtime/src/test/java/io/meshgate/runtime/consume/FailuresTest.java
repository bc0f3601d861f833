package io.meshgate.runtime.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailuresTest {

  @ParameterizedTest(name = "SQLSTATE {0}: outage {1}")
  @CsvSource({
    "08001, true", // cannot connect
    "08006, true", // connection failure
    "40001, true", // serialization failure
    "40P01, true", // deadlock
    "42P01, true", // undefined table: the deployment's fault, not the record's
    "53100, true", // disk full
    "55P03, true", // lock not available
    "57P01, true", // admin shutdown
    "22008, false", // datetime field overflow: the record's value
    "22001, false", // value too long
    "23505, false", // unique violation
    "23503, false", // foreign key violation
    "P0001, false", // raised by a trigger about the row
  })
  void blamesTheInfrastructureOnlyForOutages(String sqlState, boolean outage) {
    SQLException sql = new SQLException("refused", sqlState);
    // As jOOQ and Spring wrap it.
    assertThat(Failures.isTransient(new DataAccessException("SQL [insert ...]", sql)))
        .isEqualTo(outage);
  }

  @Test
  void brokerAndNetworkFailuresAreOutages() {
    assertThat(
            Failures.isTransient(
                new TimeoutException("Timeout expired while fetching topic metadata")))
        .isTrue();
    assertThat(
            Failures.isTransient(new RuntimeException(new ConnectException("Connection refused"))))
        .isTrue();
    assertThat(Failures.isTransient(new SQLTransientConnectionException("pool exhausted")))
        .isTrue();
  }

  @Test
  void aValueNoCodeCanHandleIsTheRecordsFault() {
    assertThat(Failures.isTransient(new DateTimeException("Invalid value for Year: 1000000000")))
        .isFalse();
    assertThat(Failures.isTransient(new IllegalArgumentException("lone surrogate"))).isFalse();
    assertThat(Failures.describe(new DateTimeException("Invalid value")))
        .isEqualTo("java.time.DateTimeException: Invalid value");
  }
}
