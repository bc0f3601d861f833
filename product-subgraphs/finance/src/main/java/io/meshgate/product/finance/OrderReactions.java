package io.meshgate.product.finance;

import static io.meshgate.schema.jooq.finance.finance.Tables.ACCOUNTS;
import static io.meshgate.schema.jooq.finance.finance.Tables.INVOICES;
import static io.meshgate.schema.jooq.finance.finance.Tables.LEDGER_TRANSACTIONS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.runtime.events.ChangeEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * Finance's reaction to distribution's orders, fed from {@code mesh.distribution.order.changes} in
 * its own consumer group: a placed order gets an invoice and a ledger debit on the customer's
 * account in the order's currency (opened if the customer has none); a cancelled one voids its open
 * invoice and books a reversing credit.
 *
 * <p>Every row it writes has an id derived from the order id, and every write is an insert that
 * does nothing when the row exists or an update guarded by the current status: replaying the whole
 * order topic, or a restart in the middle of a batch, changes nothing.
 */
final class OrderReactions implements Projection {

  /** Distribution's order entity, as its published contract describes it. */
  static final EntityDefinition DISTRIBUTION_ORDER =
      new EntityDefinition(
          "order",
          "distribution.orders",
          List.of("id"),
          1,
          "meshgate/distribution/events/order.v1.schema.json");

  @Override
  public EntityDefinition entity() {
    return DISTRIBUTION_ORDER;
  }

  @Override
  public String sourceProduct() {
    return "distribution";
  }

  /**
   * Reacts to a batch set-wise, a handful of statements whatever its size: each order's latest
   * state in the batch decides (invoice and debit for every order, void and reversing credit for a
   * cancelled one), which is what reacting event by event would leave too.
   */
  @Override
  public void apply(DSLContext tx, List<ChangeEvent> events) {
    Map<UUID, ObjectNode> latest = new LinkedHashMap<>();
    for (ChangeEvent event : events) {
      ObjectNode order = event.after();
      if (order != null) { // a deleted order row: what finance booked for it stands
        UUID id = UUID.fromString(order.path("id").asText());
        latest.remove(id);
        latest.put(id, order);
      }
    }
    if (latest.isEmpty()) {
      return;
    }
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<Reaction> reactions =
        latest.entrySet().stream().map(e -> Reaction.of(e.getKey(), e.getValue())).toList();
    Map<AccountKey, UUID> accounts = accountsOf(tx, reactions, now);

    var invoices =
        tx.insertInto(
            INVOICES,
            INVOICES.ID,
            INVOICES.ACCOUNT_ID,
            INVOICES.ORDER_ID,
            INVOICES.AMOUNT,
            INVOICES.CURRENCY,
            INVOICES.STATUS,
            INVOICES.ISSUED_AT,
            INVOICES.UPDATED_AT);
    for (Reaction r : reactions) {
      invoices =
          invoices.values(
              invoiceIdOf(r.orderId()),
              accounts.get(r.account()),
              r.orderId(),
              r.total(),
              r.account().currency(),
              "OPEN",
              r.placedAt(),
              now);
    }
    invoices.onConflict(INVOICES.ID).doNothing().execute();

    book(
        tx,
        reactions.stream()
            .filter(r -> r.total().signum() > 0)
            .map(
                r ->
                    new Booking(
                        derived("order-debit:" + r.orderId()),
                        accounts.get(r.account()),
                        "DEBIT",
                        r.total(),
                        r.account().currency(),
                        debitReference(r.orderId()),
                        r.placedAt()))
            .toList());

    List<Reaction> cancelled = reactions.stream().filter(Reaction::cancelled).toList();
    if (cancelled.isEmpty()) {
      return;
    }
    tx.update(INVOICES)
        .set(INVOICES.STATUS, "VOID")
        .set(INVOICES.UPDATED_AT, now)
        .where(
            INVOICES
                .ID
                .in(cancelled.stream().map(r -> invoiceIdOf(r.orderId())).toList())
                .and(INVOICES.STATUS.eq("OPEN")))
        .execute();
    book(
        tx,
        cancelled.stream()
            .filter(r -> r.total().signum() > 0)
            .map(
                r ->
                    new Booking(
                        derived("order-reversal:" + r.orderId()),
                        accounts.get(r.account()),
                        "CREDIT",
                        r.total(),
                        r.account().currency(),
                        reversalReference(r.orderId()),
                        now))
            .toList());
  }

  /** What one order's latest state in a batch asks of finance. */
  private record Reaction(
      UUID orderId,
      AccountKey account,
      BigDecimal total,
      OffsetDateTime placedAt,
      boolean cancelled) {

    static Reaction of(UUID orderId, ObjectNode order) {
      return new Reaction(
          orderId,
          new AccountKey(
              UUID.fromString(order.path("customer_id").asText()), order.path("currency").asText()),
          new BigDecimal(order.path("total").asText()),
          OffsetDateTime.ofInstant(Instant.parse(order.path("placed_at").asText()), ZoneOffset.UTC),
          "CANCELLED".equals(order.path("status").asText()));
    }
  }

  private record AccountKey(UUID customerId, String currency) {}

  private record Booking(
      UUID id,
      UUID accountId,
      String kind,
      BigDecimal amount,
      String currency,
      String reference,
      OffsetDateTime at) {}

  private static void book(DSLContext tx, List<Booking> bookings) {
    if (bookings.isEmpty()) {
      return;
    }
    var insert =
        tx.insertInto(
            LEDGER_TRANSACTIONS,
            LEDGER_TRANSACTIONS.ID,
            LEDGER_TRANSACTIONS.ACCOUNT_ID,
            LEDGER_TRANSACTIONS.KIND,
            LEDGER_TRANSACTIONS.AMOUNT,
            LEDGER_TRANSACTIONS.CURRENCY,
            LEDGER_TRANSACTIONS.REFERENCE,
            LEDGER_TRANSACTIONS.BOOKED_AT);
    for (Booking b : bookings) {
      insert =
          insert.values(
              b.id(), b.accountId(), b.kind(), b.amount(), b.currency(), b.reference(), b.at());
    }
    insert.onConflict(LEDGER_TRANSACTIONS.ID).doNothing().execute();
  }

  /**
   * Each customer's oldest account in each currency the batch needs; accounts with derived ids are
   * opened for the ones missing.
   */
  private static Map<AccountKey, UUID> accountsOf(
      DSLContext tx, List<Reaction> reactions, OffsetDateTime now) {
    Set<AccountKey> needed = new LinkedHashSet<>();
    reactions.forEach(r -> needed.add(r.account()));
    Map<AccountKey, UUID> found = new HashMap<>();
    tx.select(ACCOUNTS.CUSTOMER_ID, ACCOUNTS.CURRENCY, ACCOUNTS.ID)
        .from(ACCOUNTS)
        .where(
            DSL.row(ACCOUNTS.CUSTOMER_ID, ACCOUNTS.CURRENCY)
                .in(needed.stream().map(k -> DSL.row(k.customerId(), k.currency())).toList()))
        .orderBy(ACCOUNTS.OPENED_AT, ACCOUNTS.ID)
        .fetch()
        .forEach(
            row -> found.putIfAbsent(new AccountKey(row.value1(), row.value2()), row.value3()));
    List<AccountKey> missing = needed.stream().filter(k -> !found.containsKey(k)).toList();
    if (!missing.isEmpty()) {
      var insert =
          tx.insertInto(
              ACCOUNTS,
              ACCOUNTS.ID,
              ACCOUNTS.CUSTOMER_ID,
              ACCOUNTS.CURRENCY,
              ACCOUNTS.OPENED_AT,
              ACCOUNTS.UPDATED_AT);
      for (AccountKey key : missing) {
        UUID id = derived("account:" + key.customerId() + ":" + key.currency());
        insert = insert.values(id, key.customerId(), key.currency(), now, now);
        found.put(key, id);
      }
      insert.onConflict(ACCOUNTS.ID).doNothing().execute();
    }
    return found;
  }

  /** The reference of the debit booked for a placed order. */
  static String debitReference(Object orderId) {
    return "order " + orderId;
  }

  /** The reference of the credit that reverses a cancelled order's debit. */
  static String reversalReference(Object orderId) {
    return "reversal of order " + orderId;
  }

  /** The id of an order's invoice: derived from the order id, so it is the same on every replay. */
  static UUID invoiceIdOf(UUID orderId) {
    return derived("invoice:" + orderId);
  }

  private static UUID derived(String name) {
    return UUID.nameUUIDFromBytes(("meshgate-finance-" + name).getBytes(StandardCharsets.UTF_8));
  }
}
