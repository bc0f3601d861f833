package io.meshgate.product.finance;

import static io.meshgate.schema.jooq.finance.finance.Tables.ACCOUNTS;
import static io.meshgate.schema.jooq.finance.finance.Tables.INVOICES;
import static io.meshgate.schema.jooq.finance.finance.Tables.LEDGER_TRANSACTIONS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.events.ChangeEvent;
import io.meshgate.product.readmodel.Projection;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Finance's reaction to distribution's orders, fed from {@code mesh.distribution.order.changes}
 * in its own consumer group: a placed order gets an invoice and a ledger debit on the customer's
 * account in the order's currency (opened if the customer has none); a cancelled one voids its
 * open invoice and books a reversing credit.
 *
 * <p>Every row it writes has an id derived from the order id, and every write is an insert that
 * does nothing when the row exists or an update guarded by the current status: replaying the
 * whole order topic, or a restart in the middle of a batch, changes nothing.
 */
final class OrderReactions implements Projection {

  /** Distribution's order entity, as its published contract describes it. */
  static final EntityDefinition DISTRIBUTION_ORDER = new EntityDefinition("order", "distribution.orders",
      List.of("id"), 1, "meshgate/distribution/events/order.v1.schema.json");

  @Override
  public EntityDefinition entity() {
    return DISTRIBUTION_ORDER;
  }

  @Override
  public String sourceProduct() {
    return "distribution";
  }

  @Override
  public void apply(DSLContext tx, List<ChangeEvent> events) {
    for (ChangeEvent event : events) {
      ObjectNode order = event.after();
      if (order == null) {
        continue;  // a deleted order row: what finance booked for it stands
      }
      react(tx, order);
    }
  }

  private static void react(DSLContext tx, ObjectNode order) {
    UUID orderId = UUID.fromString(order.path("id").asText());
    UUID customerId = UUID.fromString(order.path("customer_id").asText());
    String currency = order.path("currency").asText();
    BigDecimal total = new BigDecimal(order.path("total").asText());
    OffsetDateTime placedAt = OffsetDateTime.ofInstant(Instant.parse(order.path("placed_at").asText()), ZoneOffset.UTC);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    UUID accountId = accountOf(tx, customerId, currency, now);

    tx.insertInto(INVOICES)
        .set(INVOICES.ID, invoiceIdOf(orderId))
        .set(INVOICES.ACCOUNT_ID, accountId)
        .set(INVOICES.ORDER_ID, orderId)
        .set(INVOICES.AMOUNT, total)
        .set(INVOICES.CURRENCY, currency)
        .set(INVOICES.STATUS, "OPEN")
        .set(INVOICES.ISSUED_AT, placedAt)
        .set(INVOICES.UPDATED_AT, now)
        .onConflict(INVOICES.ID).doNothing()
        .execute();
    if (total.signum() > 0) {
      book(tx, derived("order-debit:" + orderId), accountId, "DEBIT", total, currency, debitReference(orderId), placedAt);
    }
    if ("CANCELLED".equals(order.path("status").asText())) {
      tx.update(INVOICES)
          .set(INVOICES.STATUS, "VOID")
          .set(INVOICES.UPDATED_AT, now)
          .where(INVOICES.ID.eq(invoiceIdOf(orderId)).and(INVOICES.STATUS.eq("OPEN")))
          .execute();
      if (total.signum() > 0) {
        book(tx, derived("order-reversal:" + orderId), accountId, "CREDIT", total, currency,
            reversalReference(orderId), now);
      }
    }
  }

  /** The reference of the debit booked for a placed order. */
  static String debitReference(Object orderId) {
    return "order " + orderId;
  }

  /** The reference of the credit that reverses a cancelled order's debit. */
  static String reversalReference(Object orderId) {
    return "reversal of order " + orderId;
  }

  private static void book(DSLContext tx, UUID id, UUID accountId, String kind, BigDecimal amount, String currency,
      String reference, OffsetDateTime at) {
    tx.insertInto(LEDGER_TRANSACTIONS)
        .set(LEDGER_TRANSACTIONS.ID, id)
        .set(LEDGER_TRANSACTIONS.ACCOUNT_ID, accountId)
        .set(LEDGER_TRANSACTIONS.KIND, kind)
        .set(LEDGER_TRANSACTIONS.AMOUNT, amount)
        .set(LEDGER_TRANSACTIONS.CURRENCY, currency)
        .set(LEDGER_TRANSACTIONS.REFERENCE, reference)
        .set(LEDGER_TRANSACTIONS.BOOKED_AT, at)
        .onConflict(LEDGER_TRANSACTIONS.ID).doNothing()
        .execute();
  }

  /** The customer's oldest account in that currency; one with a derived id if there is none. */
  private static UUID accountOf(DSLContext tx, UUID customerId, String currency, OffsetDateTime now) {
    @Nullable UUID existing = tx.select(ACCOUNTS.ID).from(ACCOUNTS)
        .where(ACCOUNTS.CUSTOMER_ID.eq(customerId).and(ACCOUNTS.CURRENCY.eq(currency)))
        .orderBy(ACCOUNTS.OPENED_AT, ACCOUNTS.ID)
        .limit(1)
        .fetchOne(ACCOUNTS.ID);
    if (existing != null) {
      return existing;
    }
    UUID id = derived("account:" + customerId + ":" + currency);
    tx.insertInto(ACCOUNTS)
        .set(ACCOUNTS.ID, id)
        .set(ACCOUNTS.CUSTOMER_ID, customerId)
        .set(ACCOUNTS.CURRENCY, currency)
        .set(ACCOUNTS.OPENED_AT, now)
        .set(ACCOUNTS.UPDATED_AT, now)
        .onConflict(ACCOUNTS.ID).doNothing()
        .execute();
    return id;
  }

  /** The id of an order's invoice: derived from the order id, so it is the same on every replay. */
  static UUID invoiceIdOf(UUID orderId) {
    return derived("invoice:" + orderId);
  }

  private static UUID derived(String name) {
    return UUID.nameUUIDFromBytes(("meshgate-finance-" + name).getBytes(StandardCharsets.UTF_8));
  }
}
