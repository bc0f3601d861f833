package io.meshgate.product.finance;

import static io.meshgate.schema.jooq.finance.finance_read.Tables.ACCOUNTS;
import static io.meshgate.schema.jooq.finance.finance_read.Tables.INVOICES;
import static io.meshgate.schema.jooq.finance.finance_read.Tables.LEDGER_TRANSACTIONS;

import io.meshgate.runtime.subgraph.Paging;
import io.meshgate.schema.jooq.finance.finance_read.tables.records.AccountsRecord;
import io.meshgate.schema.jooq.finance.finance_read.tables.records.InvoicesRecord;
import io.meshgate.schema.jooq.finance.finance_read.tables.records.LedgerTransactionsRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Reads the finance read model: only what arrived through the change topics. Balances are computed
 * here, credits minus debits over the live transactions.
 */
@Component
class FinanceReadModel {

  static final int MAX_PAGE = Paging.MAX_PAGE;
  private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

  private final DSLContext dsl;

  FinanceReadModel(DSLContext dsl) {
    this.dsl = dsl;
  }

  Optional<Account> findAccount(UUID id) {
    return dsl.selectFrom(ACCOUNTS)
        .where(ACCOUNTS.ID.eq(id).and(ACCOUNTS.DELETED.isFalse()))
        .fetchOptional()
        .map(FinanceReadModel::toAccount);
  }

  /** The accounts with these ids, by id; missing and deleted ones are absent. */
  Map<UUID, Account> findAccounts(Collection<UUID> ids) {
    Map<UUID, Account> found = new LinkedHashMap<>();
    dsl.selectFrom(ACCOUNTS)
        .where(ACCOUNTS.ID.in(ids).and(ACCOUNTS.DELETED.isFalse()))
        .fetch()
        .forEach(row -> found.put(row.getId(), toAccount(row)));
    return found;
  }

  /** The transactions with these ids, by id; missing and deleted ones are absent. */
  Map<UUID, Transaction> findTransactions(Collection<UUID> ids) {
    Map<UUID, Transaction> found = new LinkedHashMap<>();
    dsl.selectFrom(LEDGER_TRANSACTIONS)
        .where(LEDGER_TRANSACTIONS.ID.in(ids).and(LEDGER_TRANSACTIONS.DELETED.isFalse()))
        .fetch()
        .forEach(row -> found.put(row.getId(), toTransaction(row)));
    return found;
  }

  Optional<Invoice> findInvoice(UUID id) {
    return dsl.selectFrom(INVOICES)
        .where(INVOICES.ID.eq(id).and(INVOICES.DELETED.isFalse()))
        .fetchOptional()
        .map(FinanceReadModel::toInvoice);
  }

  /** The invoices with these ids, by id; missing and deleted ones are absent. */
  Map<UUID, Invoice> findInvoices(Collection<UUID> ids) {
    Map<UUID, Invoice> found = new LinkedHashMap<>();
    dsl.selectFrom(INVOICES)
        .where(INVOICES.ID.in(ids).and(INVOICES.DELETED.isFalse()))
        .fetch()
        .forEach(row -> found.put(row.getId(), toInvoice(row)));
    return found;
  }

  /** The invoices of these orders, by order id; orders finance has not invoiced are absent. */
  Map<UUID, Invoice> invoicesOfOrders(Collection<UUID> orderIds) {
    Map<UUID, Invoice> found = new LinkedHashMap<>();
    dsl.selectFrom(INVOICES)
        .where(INVOICES.ORDER_ID.in(orderIds).and(INVOICES.DELETED.isFalse()))
        .fetch()
        .forEach(row -> found.put(row.getOrderId(), toInvoice(row)));
    return found;
  }

  /** The ledger transactions booked with these references, by reference, oldest first in each. */
  Map<String, List<Transaction>> transactionsByReference(Collection<String> references) {
    Map<String, List<Transaction>> found = new LinkedHashMap<>();
    dsl.selectFrom(LEDGER_TRANSACTIONS)
        .where(
            LEDGER_TRANSACTIONS.REFERENCE.in(references).and(LEDGER_TRANSACTIONS.DELETED.isFalse()))
        .orderBy(LEDGER_TRANSACTIONS.BOOKED_AT, LEDGER_TRANSACTIONS.ID)
        .fetch()
        .forEach(
            row ->
                found
                    .computeIfAbsent(row.getReference(), r -> new ArrayList<>())
                    .add(toTransaction(row)));
    return found;
  }

  InvoicePage invoicePage(int first, @Nullable String after, @Nullable String status) {
    Paging.first(first);
    Condition filter = INVOICES.DELETED.isFalse();
    if (status != null) {
      filter = filter.and(INVOICES.STATUS.eq(status));
    }
    Condition page = after == null ? DSL.noCondition() : INVOICES.ID.gt(decodeCursor(after));
    List<InvoicesRecord> rows =
        dsl.selectFrom(INVOICES)
            .where(filter.and(page))
            .orderBy(INVOICES.ID)
            .limit(first + 1)
            .fetch();
    boolean hasNext = rows.size() > first;
    List<InvoicePage.Edge> edges = new ArrayList<>(Math.min(first, rows.size()));
    for (InvoicesRecord row : rows.subList(0, Math.min(first, rows.size()))) {
      edges.add(new InvoicePage.Edge(encodeCursor(row.getId()), toInvoice(row)));
    }
    int total = dsl.fetchCount(INVOICES, filter);
    String endCursor = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
    return new InvoicePage(edges, new InvoicePage.PageInfo(endCursor, hasNext), total);
  }

  /**
   * Credits minus debits per account; every requested account has an entry (0.00 without
   * transactions).
   */
  Map<UUID, BigDecimal> balances(Collection<UUID> accountIds) {
    Map<UUID, BigDecimal> result = zeros(accountIds);
    dsl.select(LEDGER_TRANSACTIONS.ACCOUNT_ID, signedSum())
        .from(LEDGER_TRANSACTIONS)
        .where(
            LEDGER_TRANSACTIONS
                .ACCOUNT_ID
                .in(accountIds)
                .and(LEDGER_TRANSACTIONS.DELETED.isFalse()))
        .groupBy(LEDGER_TRANSACTIONS.ACCOUNT_ID)
        .fetch()
        .forEach(r -> result.put(r.value1(), r.value2()));
    return result;
  }

  /**
   * Sum of the balances of each customer's live accounts; every requested customer has an entry.
   */
  Map<UUID, BigDecimal> customerBalances(Collection<UUID> customerIds) {
    Map<UUID, BigDecimal> result = zeros(customerIds);
    dsl.select(ACCOUNTS.CUSTOMER_ID, signedSum())
        .from(LEDGER_TRANSACTIONS)
        .join(ACCOUNTS)
        .on(ACCOUNTS.ID.eq(LEDGER_TRANSACTIONS.ACCOUNT_ID))
        .where(
            ACCOUNTS
                .CUSTOMER_ID
                .in(customerIds)
                .and(ACCOUNTS.DELETED.isFalse())
                .and(LEDGER_TRANSACTIONS.DELETED.isFalse()))
        .groupBy(ACCOUNTS.CUSTOMER_ID)
        .fetch()
        .forEach(r -> result.put(r.value1(), r.value2()));
    return result;
  }

  private static Field<BigDecimal> signedSum() {
    return DSL.sum(
        DSL.when(LEDGER_TRANSACTIONS.KIND.eq("CREDIT"), LEDGER_TRANSACTIONS.AMOUNT)
            .otherwise(LEDGER_TRANSACTIONS.AMOUNT.neg()));
  }

  /**
   * The newest {@code first} transactions of each account; every requested account has an entry.
   */
  Map<UUID, List<Transaction>> transactionsOfAccounts(Collection<UUID> accountIds, int first) {
    Paging.first(first);
    Map<UUID, List<Transaction>> result = emptyLists(accountIds);
    if (first == 0) {
      return result;
    }
    Field<Integer> rank =
        DSL.rowNumber()
            .over()
            .partitionBy(LEDGER_TRANSACTIONS.ACCOUNT_ID)
            .orderBy(LEDGER_TRANSACTIONS.BOOKED_AT.desc(), LEDGER_TRANSACTIONS.ID.desc())
            .as("rank");
    var ranked =
        dsl.select(LEDGER_TRANSACTIONS.asterisk(), rank)
            .from(LEDGER_TRANSACTIONS)
            .where(
                LEDGER_TRANSACTIONS
                    .ACCOUNT_ID
                    .in(accountIds)
                    .and(LEDGER_TRANSACTIONS.DELETED.isFalse()))
            .asTable("ranked");
    dsl.selectFrom(ranked)
        .where(ranked.field(rank).le(first))
        .orderBy(
            ranked.field(LEDGER_TRANSACTIONS.BOOKED_AT).desc(),
            ranked.field(LEDGER_TRANSACTIONS.ID).desc())
        .fetch()
        .forEach(
            r -> {
              LedgerTransactionsRecord row = r.into(LEDGER_TRANSACTIONS);
              result.get(row.getAccountId()).add(toTransaction(row));
            });
    return result;
  }

  /** Accounts of each customer, oldest first; every requested customer has an entry. */
  Map<UUID, List<Account>> accountsOfCustomers(Collection<UUID> customerIds) {
    Map<UUID, List<Account>> result = emptyLists(customerIds);
    dsl.selectFrom(ACCOUNTS)
        .where(ACCOUNTS.CUSTOMER_ID.in(customerIds).and(ACCOUNTS.DELETED.isFalse()))
        .orderBy(ACCOUNTS.OPENED_AT, ACCOUNTS.ID)
        .fetch()
        .forEach(row -> result.get(row.getCustomerId()).add(toAccount(row)));
    return result;
  }

  private static <T> Map<UUID, List<T>> emptyLists(Collection<UUID> ids) {
    Map<UUID, List<T>> result = new LinkedHashMap<>();
    ids.forEach(id -> result.put(id, new ArrayList<>()));
    return result;
  }

  private static Map<UUID, BigDecimal> zeros(Collection<UUID> ids) {
    Map<UUID, BigDecimal> result = new LinkedHashMap<>();
    ids.forEach(id -> result.put(id, ZERO));
    return result;
  }

  static String encodeCursor(UUID id) {
    return Paging.encodeCursor("invoice", id);
  }

  static UUID decodeCursor(String cursor) {
    return Paging.decodeCursor("invoice", cursor, "invoices");
  }

  static Account toAccount(AccountsRecord row) {
    return new Account(
        row.getId().toString(),
        row.getCustomerId().toString(),
        row.getCurrency(),
        iso(row.getOpenedAt()));
  }

  static Account toAccount(
      io.meshgate.schema.jooq.finance.finance.tables.records.AccountsRecord row) {
    return new Account(
        row.getId().toString(),
        row.getCustomerId().toString(),
        row.getCurrency(),
        iso(row.getOpenedAt()));
  }

  static Transaction toTransaction(LedgerTransactionsRecord row) {
    return new Transaction(
        row.getId().toString(),
        row.getAccountId().toString(),
        row.getKind(),
        amount(row.getAmount()),
        row.getCurrency(),
        row.getReference(),
        iso(row.getBookedAt()));
  }

  static Transaction toTransaction(
      io.meshgate.schema.jooq.finance.finance.tables.records.LedgerTransactionsRecord row) {
    return new Transaction(
        row.getId().toString(),
        row.getAccountId().toString(),
        row.getKind(),
        amount(row.getAmount()),
        row.getCurrency(),
        row.getReference(),
        iso(row.getBookedAt()));
  }

  static Invoice toInvoice(InvoicesRecord row) {
    return new Invoice(
        row.getId().toString(),
        row.getAccountId().toString(),
        row.getOrderId().toString(),
        amount(row.getAmount()),
        row.getCurrency(),
        row.getStatus(),
        iso(row.getIssuedAt()));
  }

  static Invoice toInvoice(
      io.meshgate.schema.jooq.finance.finance.tables.records.InvoicesRecord row) {
    return new Invoice(
        row.getId().toString(),
        row.getAccountId().toString(),
        row.getOrderId().toString(),
        amount(row.getAmount()),
        row.getCurrency(),
        row.getStatus(),
        iso(row.getIssuedAt()));
  }

  /** Amounts are served as decimal strings with two decimals, never as floats. */
  static String amount(BigDecimal value) {
    return value.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
  }

  static String iso(OffsetDateTime time) {
    return time.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }
}
