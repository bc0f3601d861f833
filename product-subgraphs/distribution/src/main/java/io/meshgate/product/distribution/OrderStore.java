package io.meshgate.product.distribution;

import static io.meshgate.schema.jooq.distribution.distribution.Tables.ORDERS;
import static io.meshgate.schema.jooq.distribution.distribution.Tables.ORDER_LINES;
import static io.meshgate.schema.jooq.distribution.distribution.Tables.SHIPMENTS;
import static io.meshgate.schema.jooq.distribution.distribution.Tables.WAREHOUSES;

import io.meshgate.runtime.subgraph.InvalidInputException;
import io.meshgate.schema.jooq.distribution.distribution.tables.records.OrderLinesRecord;
import io.meshgate.schema.jooq.distribution.distribution.tables.records.OrdersRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Writes the distribution operational tables through jOOQ, one transaction per mutation. Never
 * touches the read model: what clients read comes back through change data capture.
 */
@Component
class OrderStore {

  private final DSLContext dsl;

  OrderStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** An order as written, with its lines. */
  record Placed(OrdersRecord order, List<OrderLinesRecord> lines) {}

  /** Inserts the order and its lines in one transaction; the warehouse must exist. */
  Placed place(ValidOrder order) {
    return dsl.transactionResult(
        config -> {
          DSLContext tx = config.dsl();
          if (!tx.fetchExists(WAREHOUSES, WAREHOUSES.ID.eq(order.warehouseId()))) {
            throw new InvalidInputException(
                "input.warehouseId", "no warehouse with id " + order.warehouseId());
          }
          UUID id = UUID.randomUUID();
          OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
          OrdersRecord row =
              tx.insertInto(ORDERS)
                  .set(ORDERS.ID, id)
                  .set(ORDERS.CUSTOMER_ID, order.customerId())
                  .set(ORDERS.WAREHOUSE_ID, order.warehouseId())
                  .set(ORDERS.STATUS, "PLACED")
                  .set(ORDERS.CURRENCY, order.currency())
                  .set(ORDERS.TOTAL, order.total())
                  .set(ORDERS.PLACED_AT, now)
                  .set(ORDERS.UPDATED_AT, now)
                  .returning()
                  .fetchOne();
          List<OrderLinesRecord> lines = new ArrayList<>(order.lines().size());
          for (ValidOrder.Line line : order.lines()) {
            OrderLinesRecord lineRow = tx.newRecord(ORDER_LINES);
            lineRow.setId(UUID.randomUUID());
            lineRow.setOrderId(id);
            lineRow.setSku(line.sku());
            lineRow.setQuantity(line.quantity());
            lineRow.setUnitPrice(line.unitPrice());
            lines.add(lineRow);
          }
          tx.batchInsert(lines).execute();
          return new Placed(row, List.copyOf(lines));
        });
  }

  /** Cancels a placed order; an unknown id is NOT_FOUND, an order past PLACED is an input error. */
  OrdersRecord cancel(UUID id) {
    return dsl.transactionResult(
        config -> {
          DSLContext tx = config.dsl();
          OrdersRecord row = placedOrder(tx, id, "cancelled");
          row.setStatus("CANCELLED");
          row.setUpdatedAt(OffsetDateTime.now(ZoneOffset.UTC));
          row.store();
          return row;
        });
  }

  /**
   * Ships a placed order: its status becomes SHIPPED and its shipment is created, in one
   * transaction.
   */
  OrdersRecord ship(UUID id, String carrier) {
    return dsl.transactionResult(
        config -> {
          DSLContext tx = config.dsl();
          OrdersRecord row = placedOrder(tx, id, "shipped");
          OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
          row.setStatus("SHIPPED");
          row.setUpdatedAt(now);
          row.store();
          tx.insertInto(SHIPMENTS)
              .set(SHIPMENTS.ID, UUID.randomUUID())
              .set(SHIPMENTS.ORDER_ID, id)
              .set(SHIPMENTS.CARRIER, carrier)
              .set(SHIPMENTS.STATUS, "IN_TRANSIT")
              .set(SHIPMENTS.SHIPPED_AT, now)
              .execute();
          return row;
        });
  }

  /** The order, locked for the transaction, when it is still PLACED. */
  private static OrdersRecord placedOrder(DSLContext tx, UUID id, String action) {
    OrdersRecord row = tx.selectFrom(ORDERS).where(ORDERS.ID.eq(id)).forUpdate().fetchOne();
    if (row == null) {
      throw new InvalidInputException("id", "no order with id " + id, "NOT_FOUND");
    }
    if (!row.getStatus().equals("PLACED")) {
      throw new InvalidInputException(
          "id", "order " + id + " is " + row.getStatus() + " and cannot be " + action);
    }
    return row;
  }

  /** The lines of an order, from the operational table (for a mutation's answer). */
  List<OrderLinesRecord> lines(UUID orderId) {
    return dsl.selectFrom(ORDER_LINES)
        .where(ORDER_LINES.ORDER_ID.eq(orderId))
        .orderBy(ORDER_LINES.ID)
        .fetch();
  }
}
