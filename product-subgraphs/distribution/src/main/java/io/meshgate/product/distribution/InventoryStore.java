package io.meshgate.product.distribution;

import static io.meshgate.schema.jooq.distribution.distribution.Tables.INVENTORY;
import static io.meshgate.schema.jooq.distribution.distribution.Tables.WAREHOUSES;

import io.meshgate.runtime.subgraph.InvalidInputException;
import io.meshgate.schema.jooq.distribution.distribution.tables.records.InventoryRecord;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Writes the operational inventory table through jOOQ, one transaction per mutation. */
@Component
class InventoryStore {

  private final DSLContext dsl;

  InventoryStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Sets the units of {@code sku} on hand in a warehouse, creating the row on first use.
   *
   * @throws InvalidInputException naming the field when the warehouse does not exist or the
   *     quantity or SKU is out of range
   */
  InventoryRecord set(UUID warehouseId, String sku, int quantityOnHand) {
    String trimmed = sku.trim();
    if (trimmed.isEmpty() || trimmed.length() > 64) {
      throw new InvalidInputException(
          "sku", "must be 1 to 64 characters (got " + trimmed.length() + ")");
    }
    if (quantityOnHand < 0) {
      throw new InvalidInputException(
          "quantityOnHand", "must not be negative (got " + quantityOnHand + ")");
    }
    return dsl.transactionResult(
        config -> {
          DSLContext tx = config.dsl();
          if (!tx.fetchExists(WAREHOUSES, WAREHOUSES.ID.eq(warehouseId))) {
            throw new InvalidInputException(
                "warehouseId", "no warehouse with id " + warehouseId, "NOT_FOUND");
          }
          OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
          return tx.insertInto(INVENTORY)
              .set(INVENTORY.ID, idOf(warehouseId, trimmed))
              .set(INVENTORY.WAREHOUSE_ID, warehouseId)
              .set(INVENTORY.SKU, trimmed)
              .set(INVENTORY.QUANTITY_ON_HAND, quantityOnHand)
              .set(INVENTORY.UPDATED_AT, now)
              .onConflict(INVENTORY.WAREHOUSE_ID, INVENTORY.SKU)
              .doUpdate()
              .set(INVENTORY.QUANTITY_ON_HAND, quantityOnHand)
              .set(INVENTORY.UPDATED_AT, now)
              .returning()
              .fetchOne();
        });
  }

  /** The id of a warehouse's stock row of a SKU: derived, so it is the same wherever it is set. */
  static UUID idOf(UUID warehouseId, String sku) {
    return UUID.nameUUIDFromBytes(
        ("meshgate-inventory-" + warehouseId + ":" + sku).getBytes(StandardCharsets.UTF_8));
  }
}
