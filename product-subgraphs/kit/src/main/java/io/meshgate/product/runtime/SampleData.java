package io.meshgate.product.runtime;

import io.meshgate.product.config.MeshProperties;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/** A product's sample data, loaded once as a versioned migration unless switched off. */
public final class SampleData {

  private SampleData() {}

  /**
   * The sample migration, or one with the same version that loads nothing when {@code
   * meshgate.sample-data} is false: the version is still recorded, so it never loads later.
   */
  public static JavaMigration unlessDisabled(MeshProperties properties, JavaMigration sample) {
    if (properties.sampleData()) {
      return sample;
    }
    return new JavaMigration() {
      @Override
      public MigrationVersion getVersion() {
        return sample.getVersion();
      }

      @Override
      public String getDescription() {
        return sample.getDescription() + " (switched off)";
      }

      @Override
      public Integer getChecksum() {
        return sample.getChecksum();
      }

      @Override
      public boolean canExecuteInTransaction() {
        return true;
      }

      @Override
      public void migrate(Context context) {
        // nothing: sample data switched off
      }
    };
  }
}
