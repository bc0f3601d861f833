package io.meshgate.product.distribution;

import io.meshgate.schema.jooq.distribution.distribution.tables.records.InventoryRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Distribution's sample stock, loaded once after the inventory table exists: every sample SKU on
 * hand in every sample warehouse.
 */
class SampleInventory implements JavaMigration {

  @Override
  public void migrate(Context context) {
    DSLContext dsl = DSL.using(context.getConnection(), SQLDialect.POSTGRES);
    dsl.batchInsert(generate(new Random(20261127L), OffsetDateTime.now(ZoneOffset.UTC))).execute();
  }

  /** One stock row per sample warehouse and SKU, reproducible for a given random source. */
  static List<InventoryRecord> generate(Random random, OffsetDateTime now) {
    List<InventoryRecord> rows = new ArrayList<>();
    for (UUID warehouse : SampleOrders.sampleWarehouseIds()) {
      for (String sku : SampleOrders.sampleSkus()) {
        InventoryRecord row = new InventoryRecord();
        row.setId(InventoryStore.idOf(warehouse, sku));
        row.setWarehouseId(warehouse);
        row.setSku(sku);
        row.setQuantityOnHand(random.nextInt(500));
        row.setUpdatedAt(now);
        rows.add(row);
      }
    }
    return rows;
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("6");
  }

  @Override
  public String getDescription() {
    return "distribution sample inventory";
  }

  @Override
  public Integer getChecksum() {
    return 1;
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }
}
