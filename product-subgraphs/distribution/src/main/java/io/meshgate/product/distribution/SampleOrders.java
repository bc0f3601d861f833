package io.meshgate.product.distribution;

import io.meshgate.schema.jooq.distribution.distribution.tables.records.OrderLinesRecord;
import io.meshgate.schema.jooq.distribution.distribution.tables.records.OrdersRecord;
import io.meshgate.schema.jooq.distribution.distribution.tables.records.ShipmentsRecord;
import io.meshgate.schema.jooq.distribution.distribution.tables.records.WarehousesRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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
import org.jooq.TableRecord;
import org.jooq.impl.DSL;

/**
 * Loads a reproducible sample on the product's first start: three warehouses and orders of the
 * sales product's sample customers (whose ids sales derives from their index), so the federated
 * graph joins customers to orders at once. Runs as a versioned migration: exactly once per
 * database.
 */
class SampleOrders implements JavaMigration {

  static final int ORDER_COUNT = 200;

  /** How many sample customers sales loads; see the sales product's sample. */
  static final int SAMPLE_CUSTOMERS = 1_000;

  private static final String[][] WAREHOUSE_DATA = {
    {"DE-FRA-1", "Frankfurt Rhein-Main", "DE"},
    {"US-MEM-1", "Memphis Gateway", "US"},
    {"JP-OSA-1", "Osaka Bay", "JP"}
  };
  private static final String[] CURRENCIES = {"EUR", "USD", "JPY"};
  private static final String[] SKUS = {
    "CHAIR-OAK",
    "DESK-STAND",
    "LAMP-LED",
    "MONITOR-27",
    "KEYBOARD-DE",
    "MOUSE-ERGO",
    "CABLE-USBC",
    "HEADSET-BT",
    "DOCK-TB4",
    "SHELF-WALL",
    "NOTEBOOK-A5",
    "PEN-GEL"
  };
  private static final String[] CARRIERS = {"DHL", "UPS", "FedEx", "Yamato"};

  /** The rows of the sample, in insertion order (warehouses, orders, lines, shipments). */
  record Sample(
      List<WarehousesRecord> warehouses,
      List<OrdersRecord> orders,
      List<OrderLinesRecord> lines,
      List<ShipmentsRecord> shipments) {}

  @Override
  public void migrate(Context context) {
    DSLContext dsl = DSL.using(context.getConnection(), SQLDialect.POSTGRES);
    Sample sample =
        generate(ORDER_COUNT, new Random(20261127L), OffsetDateTime.now(ZoneOffset.UTC));
    for (List<? extends TableRecord<?>> rows :
        List.of(sample.warehouses(), sample.orders(), sample.lines(), sample.shipments())) {
      dsl.batchInsert(rows).execute();
    }
  }

  /** Ids of the sample warehouses, in code order of the sample. */
  static List<UUID> sampleWarehouseIds() {
    List<UUID> ids = new ArrayList<>();
    for (String[] data : WAREHOUSE_DATA) {
      ids.add(warehouseId(data[0]));
    }
    return ids;
  }

  /** The SKUs sample orders are made of. */
  static List<String> sampleSkus() {
    return List.of(SKUS);
  }

  private static UUID warehouseId(String code) {
    return UUID.nameUUIDFromBytes(
        ("meshgate-sample-warehouse-" + code).getBytes(StandardCharsets.UTF_8));
  }

  /** The id sales gives its {@code index}-th sample customer. */
  static UUID sampleCustomerId(int index) {
    return UUID.nameUUIDFromBytes(
        ("meshgate-sample-customer-" + index).getBytes(StandardCharsets.UTF_8));
  }

  /** The sample rows, reproducible for a given random source. */
  static Sample generate(int count, Random random, OffsetDateTime now) {
    List<WarehousesRecord> warehouses = new ArrayList<>();
    for (String[] data : WAREHOUSE_DATA) {
      WarehousesRecord row = new WarehousesRecord();
      row.setId(warehouseId(data[0]));
      row.setCode(data[0]);
      row.setName(data[1]);
      row.setCountry(data[2]);
      warehouses.add(row);
    }
    List<OrdersRecord> orders = new ArrayList<>(count);
    List<OrderLinesRecord> lines = new ArrayList<>();
    List<ShipmentsRecord> shipments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int w = random.nextInt(warehouses.size());
      UUID orderId =
          UUID.nameUUIDFromBytes(("meshgate-sample-order-" + i).getBytes(StandardCharsets.UTF_8));
      BigDecimal total = BigDecimal.ZERO.setScale(2);
      int lineCount = 1 + random.nextInt(4);
      for (int l = 0; l < lineCount; l++) {
        OrderLinesRecord line = new OrderLinesRecord();
        line.setId(
            UUID.nameUUIDFromBytes(
                ("meshgate-sample-order-" + i + "-line-" + l).getBytes(StandardCharsets.UTF_8)));
        line.setOrderId(orderId);
        line.setSku(SKUS[random.nextInt(SKUS.length)]);
        line.setQuantity(1 + random.nextInt(5));
        line.setUnitPrice(BigDecimal.valueOf(199 + random.nextInt(49_800), 2));
        total = total.add(line.getUnitPrice().multiply(BigDecimal.valueOf(line.getQuantity())));
        lines.add(line);
      }
      OffsetDateTime placed = now.minusMinutes(random.nextInt(180 * 24 * 60));
      String status = pickStatus(random);
      OrdersRecord order = new OrdersRecord();
      order.setId(orderId);
      order.setCustomerId(sampleCustomerId(random.nextInt(SAMPLE_CUSTOMERS)));
      order.setWarehouseId(warehouses.get(w).getId());
      order.setStatus(status);
      order.setCurrency(CURRENCIES[w]);
      order.setTotal(total);
      order.setPlacedAt(placed);
      order.setUpdatedAt(
          status.equals("PLACED") ? placed : placed.plusHours(1 + random.nextInt(48)));
      orders.add(order);
      if (status.equals("SHIPPED")) {
        ShipmentsRecord shipment = new ShipmentsRecord();
        shipment.setId(
            UUID.nameUUIDFromBytes(
                ("meshgate-sample-shipment-" + i).getBytes(StandardCharsets.UTF_8)));
        shipment.setOrderId(orderId);
        shipment.setCarrier(CARRIERS[random.nextInt(CARRIERS.length)]);
        shipment.setStatus(random.nextInt(3) == 0 ? "IN_TRANSIT" : "DELIVERED");
        shipment.setShippedAt(order.getUpdatedAt());
        shipments.add(shipment);
      }
    }
    return new Sample(warehouses, orders, lines, shipments);
  }

  private static String pickStatus(Random random) {
    int roll = random.nextInt(100);
    if (roll < 50) {
      return "PLACED";
    }
    return roll < 90 ? "SHIPPED" : "CANCELLED";
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("3");
  }

  @Override
  public Integer getChecksum() {
    return ORDER_COUNT;
  }

  @Override
  public String getDescription() {
    return "distribution sample warehouses and orders";
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }
}
