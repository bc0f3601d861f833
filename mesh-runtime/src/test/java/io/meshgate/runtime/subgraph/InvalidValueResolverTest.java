package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;

class InvalidValueResolverTest {

  @Test
  void recognisesAValueTheDatabaseRefusesAsDataHoweverItIsWrapped() {
    SQLException nul =
        new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021");

    assertThat((Throwable) InvalidValueResolver.dataException(nul)).isSameAs(nul);
    assertThat(
            (Throwable)
                InvalidValueResolver.dataException(
                    new DataAccessException("SQL [select ...]", nul)))
        .isSameAs(nul);
    assertThat(
            (Throwable)
                InvalidValueResolver.dataException(
                    new IllegalStateException(new RuntimeException(nul))))
        .isSameAs(nul);
  }

  @Test
  void leavesOtherDatabaseFailuresAlone() {
    assertThat(
            (Throwable)
                InvalidValueResolver.dataException(new SQLException("duplicate key", "23505")))
        .isNull();
    assertThat(
            (Throwable)
                InvalidValueResolver.dataException(new SQLException("connection refused", "08001")))
        .isNull();
    assertThat(
            (Throwable) InvalidValueResolver.dataException(new IllegalArgumentException("first")))
        .isNull();
  }
}
