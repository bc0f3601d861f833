package io.meshgate.product.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class ReplicationSlotsTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "lost, true",
        "LOST, true",
        "reserved, false",
        "extended, false",
        "unreserved, false",
        "null, false"
      })
  void onlyALostSlotIsInvalidated(String walStatus, boolean lost) {
    assertThat(ReplicationSlots.isLost(walStatus)).isEqualTo(lost);
  }

  @Test
  void recognisesPostgresRefusingAnInvalidatedSlotUnderTheEnginesWrapping() {
    PSQLException postgres =
        new PSQLException(
            "ERROR: can no longer get changes from replication slot \"meshgate_sales\"\n"
                + "  Detail: This replication slot has been invalidated due to \"wal_removed\".",
            PSQLState.OBJECT_NOT_IN_STATE);
    Exception engine =
        new RuntimeException(
            "Engine failed",
            new ConnectException(
                "streaming failed", new SQLException("replication stream broke", postgres)));

    assertThat(ReplicationSlots.isInvalidationError(engine)).isTrue();
    assertThat(
            ReplicationSlots.isInvalidationError(
                new ConnectException("Connection to 127.0.0.1:5432 refused")))
        .isFalse();
  }

  @Test
  void theErrorNamesTheSlotAndTheRecovery() {
    Path offsets = Path.of("meshgate-data", "products", "sales", "capture-offsets.dat");
    String message = ReplicationSlots.invalidatedMessage("sales", "meshgate_sales", offsets);

    assertThat(message)
        .doesNotContain("\n")
        .contains("replication slot meshgate_sales was invalidated")
        .contains("max_slot_wal_keep_size")
        .contains("re-snapshot")
        .contains("delete " + offsets.toAbsolutePath());
  }
}
