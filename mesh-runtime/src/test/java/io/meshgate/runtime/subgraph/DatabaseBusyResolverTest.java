package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

class DatabaseBusyResolverTest {

  @Test
  void recognisesAnExhaustedPoolHoweverItIsWrapped() {
    SQLTransientConnectionException timeout =
        new SQLTransientConnectionException(
            "meshgate - Connection is not available, request timed out after 3000ms (total=8,"
                + " active=8, idle=0, waiting=2)");

    assertThat(DatabaseBusyResolver.busy(timeout)).isTrue();
    assertThat(
            DatabaseBusyResolver.busy(
                new DataAccessException("Error getting connection from data source", timeout)))
        .isTrue();
    assertThat(DatabaseBusyResolver.busy(new IllegalStateException(new RuntimeException(timeout))))
        .isTrue();
  }

  @Test
  void leavesOtherDatabaseFailuresAlone() {
    assertThat(
            DatabaseBusyResolver.busy(
                new DataAccessException("duplicate key", new SQLException("23505"))))
        .isFalse();
    assertThat(DatabaseBusyResolver.busy(new IllegalArgumentException("first"))).isFalse();
  }
}
