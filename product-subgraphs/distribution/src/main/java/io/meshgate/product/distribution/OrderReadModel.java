package io.meshgate.product.distribution;

import static io.meshgate.schema.jooq.distribution.distribution_read.Tables.INVENTORY;
import static io.meshgate.schema.jooq.distribution.distribution_read.Tables.ORDERS;
import static io.meshgate.schema.jooq.distribution.distribution_read.Tables.ORDER_LINES;
import static io.meshgate.schema.jooq.distribution.distribution_read.Tables.SHIPMENTS;
import static io.meshgate.schema.jooq.distribution.distribution_read.Tables.WAREHOUSES;

import io.meshgate.runtime.subgraph.Paging;
import io.meshgate.schema.jooq.distribution.distribution_read.Tables;
import io.meshgate.schema.jooq.distribution.distribution_read.tables.records.InventoryRecord;
import io.meshgate.schema.jooq.distribution.distribution_read.tables.records.OrderLinesRecord;
import io.meshgate.schema.jooq.distribution.distribution_read.tables.records.OrdersRecord;
import io.meshgate.schema.jooq.distribution.distribution_read.tables.records.ShipmentsRecord;
import io.meshgate.schema.jooq.distribution.distribution_read.tables.records.WarehousesRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Reads the distribution read model: only what arrived through the change topics. Rows of one order
 * arrive on different topics, so an order may briefly be visible before its lines.
 */
@Component
class OrderReadModel {

  static final int MAX_PAGE = Paging.MAX_PAGE;

  private final DSLContext dsl;

  OrderReadModel(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Countries of the given customers from the replica of sales' customers; absent until replicated.
   */
  Map<UUID, String> customerCountries(Collection<UUID> customerIds) {
    var replica = Tables.CUSTOMERS;
    Map<UUID, String> countries = new HashMap<>();
    dsl.select(replica.ID, replica.COUNTRY)
        .from(replica)
        .where(replica.ID.in(customerIds).and(replica.DELETED.isFalse()))
        .forEach(r -> countries.put(r.value1(), r.value2()));
    return countries;
  }

  Optional<Order> find(UUID id) {
    return dsl.selectFrom(ORDERS)
        .where(ORDERS.ID.eq(id).and(ORDERS.DELETED.isFalse()))
        .fetchOptional()
        .map(OrderReadModel::toOrder);
  }

  /** The orders with these ids, by id; missing and deleted ones are absent. */
  Map<UUID, Order> findAll(Collection<UUID> ids) {
    Map<UUID, Order> found = new LinkedHashMap<>();
    dsl.selectFrom(ORDERS)
        .where(ORDERS.ID.in(ids).and(ORDERS.DELETED.isFalse()))
        .fetch()
        .forEach(row -> found.put(row.getId(), toOrder(row)));
    return found;
  }

  OrderPage page(int first, @Nullable String after, @Nullable UUID customerId) {
    Paging.first(first);
    Condition filter = ORDERS.DELETED.isFalse();
    if (customerId != null) {
      filter = filter.and(ORDERS.CUSTOMER_ID.eq(customerId));
    }
    Condition page = after == null ? DSL.noCondition() : ORDERS.ID.gt(decodeCursor(after));
    List<OrdersRecord> rows =
        dsl.selectFrom(ORDERS).where(filter.and(page)).orderBy(ORDERS.ID).limit(first + 1).fetch();
    boolean hasNext = rows.size() > first;
    List<OrderPage.Edge> edges = new ArrayList<>(Math.min(first, rows.size()));
    for (OrdersRecord row : rows.subList(0, Math.min(first, rows.size()))) {
      edges.add(new OrderPage.Edge(encodeCursor(row.getId()), toOrder(row)));
    }
    int total = dsl.fetchCount(ORDERS, filter);
    String endCursor = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
    return new OrderPage(edges, new OrderPage.PageInfo(endCursor, hasNext), total);
  }

  /** Orders of each customer, newest first; every requested customer has an entry. */
  Map<UUID, List<Order>> ordersOfCustomers(Collection<UUID> customerIds) {
    Map<UUID, List<Order>> result = emptyLists(customerIds);
    dsl.selectFrom(ORDERS)
        .where(ORDERS.CUSTOMER_ID.in(customerIds).and(ORDERS.DELETED.isFalse()))
        .orderBy(ORDERS.PLACED_AT.desc(), ORDERS.ID)
        .fetch()
        .forEach(row -> result.get(row.getCustomerId()).add(toOrder(row)));
    return result;
  }

  /** Shipments of each customer's orders, newest first; every requested customer has an entry. */
  Map<UUID, List<Shipment>> shipmentsOfCustomers(Collection<UUID> customerIds) {
    Map<UUID, List<Shipment>> result = emptyLists(customerIds);
    dsl.select(ORDERS.CUSTOMER_ID, SHIPMENTS.asterisk())
        .from(SHIPMENTS)
        .join(ORDERS)
        .on(ORDERS.ID.eq(SHIPMENTS.ORDER_ID))
        .where(
            ORDERS
                .CUSTOMER_ID
                .in(customerIds)
                .and(ORDERS.DELETED.isFalse())
                .and(SHIPMENTS.DELETED.isFalse()))
        .orderBy(SHIPMENTS.SHIPPED_AT.desc(), SHIPMENTS.ID)
        .fetch()
        .forEach(r -> result.get(r.get(ORDERS.CUSTOMER_ID)).add(toShipment(r.into(SHIPMENTS))));
    return result;
  }

  /** Lines of each order, by id; every requested order has an entry. */
  Map<UUID, List<OrderLine>> linesOfOrders(Collection<UUID> orderIds) {
    Map<UUID, List<OrderLine>> result = emptyLists(orderIds);
    dsl.selectFrom(ORDER_LINES)
        .where(ORDER_LINES.ORDER_ID.in(orderIds).and(ORDER_LINES.DELETED.isFalse()))
        .orderBy(ORDER_LINES.ID)
        .fetch()
        .forEach(row -> result.get(row.getOrderId()).add(toLine(row)));
    return result;
  }

  /** The shipment of each order that has one. */
  Map<UUID, Shipment> shipmentsOfOrders(Collection<UUID> orderIds) {
    Map<UUID, Shipment> result = new LinkedHashMap<>();
    dsl.selectFrom(SHIPMENTS)
        .where(SHIPMENTS.ORDER_ID.in(orderIds).and(SHIPMENTS.DELETED.isFalse()))
        .fetch()
        .forEach(row -> result.put(row.getOrderId(), toShipment(row)));
    return result;
  }

  /** The warehouses with these ids, by id. */
  Map<UUID, Warehouse> warehouses(Collection<UUID> ids) {
    Map<UUID, Warehouse> result = new LinkedHashMap<>();
    dsl.selectFrom(WAREHOUSES)
        .where(WAREHOUSES.ID.in(ids).and(WAREHOUSES.DELETED.isFalse()))
        .fetch()
        .forEach(row -> result.put(row.getId(), toWarehouse(row)));
    return result;
  }

  List<Warehouse> allWarehouses() {
    return dsl.selectFrom(WAREHOUSES)
        .where(WAREHOUSES.DELETED.isFalse())
        .orderBy(WAREHOUSES.CODE)
        .fetch(OrderReadModel::toWarehouse);
  }

  /** Stock on hand per warehouse, by SKU; warehouses without stock get an empty list. */
  Map<UUID, List<InventoryItem>> inventoryOf(Collection<UUID> warehouseIds) {
    Map<UUID, List<InventoryItem>> result = emptyLists(warehouseIds);
    dsl.selectFrom(INVENTORY)
        .where(INVENTORY.WAREHOUSE_ID.in(warehouseIds).and(INVENTORY.DELETED.isFalse()))
        .orderBy(INVENTORY.SKU)
        .fetch()
        .forEach(row -> result.get(row.getWarehouseId()).add(toInventory(row)));
    return result;
  }

  /** Stock rows by id; missing and deleted ones are absent. */
  Map<UUID, InventoryItem> findInventory(Collection<UUID> ids) {
    Map<UUID, InventoryItem> found = new LinkedHashMap<>();
    dsl.selectFrom(INVENTORY)
        .where(INVENTORY.ID.in(ids).and(INVENTORY.DELETED.isFalse()))
        .fetch()
        .forEach(row -> found.put(row.getId(), toInventory(row)));
    return found;
  }

  static InventoryItem toInventory(InventoryRecord row) {
    return new InventoryItem(
        row.getId().toString(),
        row.getWarehouseId().toString(),
        row.getSku(),
        row.getQuantityOnHand(),
        row.getUpdatedAt().toInstant().toString());
  }

  private static <T> Map<UUID, List<T>> emptyLists(Collection<UUID> ids) {
    Map<UUID, List<T>> result = new LinkedHashMap<>();
    ids.forEach(id -> result.put(id, new ArrayList<>()));
    return result;
  }

  static String encodeCursor(UUID id) {
    return Paging.encodeCursor("order", id);
  }

  static UUID decodeCursor(String cursor) {
    return Paging.decodeCursor("order", cursor, "orders");
  }

  static Order toOrder(OrdersRecord row) {
    return new Order(
        row.getId().toString(),
        row.getCustomerId().toString(),
        row.getWarehouseId().toString(),
        row.getStatus(),
        row.getCurrency(),
        amount(row.getTotal()),
        iso(row.getPlacedAt()),
        iso(row.getUpdatedAt()),
        null);
  }

  /** An order as a mutation just wrote it to the operational table. */
  static Order toOrder(
      io.meshgate.schema.jooq.distribution.distribution.tables.records.OrdersRecord row,
      @Nullable List<OrderLine> lines) {
    return new Order(
        row.getId().toString(),
        row.getCustomerId().toString(),
        row.getWarehouseId().toString(),
        row.getStatus(),
        row.getCurrency(),
        amount(row.getTotal()),
        iso(row.getPlacedAt()),
        iso(row.getUpdatedAt()),
        lines);
  }

  static OrderLine toLine(OrderLinesRecord row) {
    return new OrderLine(
        row.getId().toString(),
        row.getOrderId().toString(),
        row.getSku(),
        row.getQuantity(),
        amount(row.getUnitPrice()));
  }

  static OrderLine toLine(
      io.meshgate.schema.jooq.distribution.distribution.tables.records.OrderLinesRecord row) {
    return new OrderLine(
        row.getId().toString(),
        row.getOrderId().toString(),
        row.getSku(),
        row.getQuantity(),
        amount(row.getUnitPrice()));
  }

  static Shipment toShipment(ShipmentsRecord row) {
    return new Shipment(
        row.getId().toString(),
        row.getOrderId().toString(),
        row.getCarrier(),
        row.getStatus(),
        iso(row.getShippedAt()));
  }

  static Warehouse toWarehouse(WarehousesRecord row) {
    return new Warehouse(row.getId().toString(), row.getCode(), row.getName(), row.getCountry());
  }

  /** Amounts are served as decimal strings with two decimals, never as floats. */
  static String amount(BigDecimal value) {
    return value.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
  }

  static String iso(OffsetDateTime time) {
    return time.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }
}
