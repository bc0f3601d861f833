package io.meshgate.product.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.product.config.MeshProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.junit.jupiter.api.Test;

class SampleDataTest {

  private final AtomicBoolean loaded = new AtomicBoolean();
  private final JavaMigration sample =
      new JavaMigration() {
        @Override
        public MigrationVersion getVersion() {
          return MigrationVersion.fromVersion("3");
        }

        @Override
        public String getDescription() {
          return "sample";
        }

        @Override
        public Integer getChecksum() {
          return 42;
        }

        @Override
        public boolean canExecuteInTransaction() {
          return true;
        }

        @Override
        public void migrate(Context context) {
          loaded.set(true);
        }
      };

  @Test
  void switchedOffSampleKeepsItsVersionSoItNeverLoadsLaterButLoadsNothing() throws Exception {
    JavaMigration off = SampleData.unlessDisabled(properties(false), sample);
    assertThat(off.getVersion()).isEqualTo(sample.getVersion());
    assertThat(off.getChecksum()).isEqualTo(sample.getChecksum());
    off.migrate(null);
    assertThat(loaded).isFalse();
  }

  @Test
  void switchedOnSampleIsTheSampleItself() {
    assertThat(SampleData.unlessDisabled(properties(true), sample)).isSameAs(sample);
  }

  private static MeshProperties properties(boolean sampleData) {
    return new MeshProperties(
        "127.0.0.1:9092",
        Path.of("state"),
        3,
        (short) 1,
        Map.of(),
        sampleData,
        new MeshProperties.Metrics(true, Duration.ofMinutes(1), Duration.ofSeconds(10)),
        new MeshProperties.Catalog(true, Duration.ofMinutes(1)),
        new MeshProperties.Consumer(5, Duration.ofMillis(200)));
  }
}
