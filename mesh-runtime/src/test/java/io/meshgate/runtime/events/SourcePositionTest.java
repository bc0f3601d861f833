package io.meshgate.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SourcePositionTest {

  private static final Instant COMMIT = Instant.parse("2024-05-01T10:15:30Z");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0,                   0/0",
    "23803720,            0/16B3748",
    "4294967306,          1/A",
    "4294967295,          0/FFFFFFFF",
    "4294967296,          1/0",
    "1311768467463790320, 12345678/9ABCDEF0",
    "9223372036854775807, 7FFFFFFF/FFFFFFFF"
  })
  void printsLsnInPostgresTextualForm(long lsn, String text) {
    assertThat(new SourcePosition(lsn, null, COMMIT, false).lsnText()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1L, Long.MIN_VALUE})
  void rejectsNegativeLsn(long lsn) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new SourcePosition(lsn, 1L, COMMIT, false))
        .withMessageContaining("lsn")
        .withMessageContaining(Long.toString(lsn));
  }
}
