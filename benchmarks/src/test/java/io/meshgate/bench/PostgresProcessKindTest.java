package io.meshgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Postgres process titles as a run of the embedded server shows them ({@code ps}). */
class PostgresProcessKindTest {

  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      textBlock =
          """
          postgres: postgres sales 127.0.0.1(59254) idle => client backends sales
          postgres: postgres distribution 127.0.0.1(51356) idle in transaction => client backends distribution
          postgres: postgres finance [local] SELECT => client backends finance
          postgres: walsender postgres sales 127.0.0.1(59386) START_REPLICATION => walsender sales (logical decoding)
          postgres: walwriter => walwriter
          postgres: checkpointer => checkpointer
          postgres: background writer => background writer
          postgres: autovacuum launcher => autovacuum launcher
          postgres: autovacuum worker audit => autovacuum worker audit
          postgres: logical replication launcher => logical replication launcher
          postgres: parallel worker for PID 29047 => parallel worker for PID N
          /tmp/embedded-pg/PG-1a2b/bin/postgres -D /tmp/meshgate-bench-1/postgres -p 35181 => postmaster
          """)
  void namesWhatAProcessDoesFromItsTitle(String title, String kind) {
    assertThat(PostgresProcessKind.of(title)).isEqualTo(kind);
  }
}
