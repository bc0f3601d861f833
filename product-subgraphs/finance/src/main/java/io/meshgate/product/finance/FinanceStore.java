package io.meshgate.product.finance;

import static io.meshgate.schema.jooq.finance.finance.Tables.ACCOUNTS;
import static io.meshgate.schema.jooq.finance.finance.Tables.INVOICES;
import static io.meshgate.schema.jooq.finance.finance.Tables.LEDGER_TRANSACTIONS;

import io.meshgate.runtime.subgraph.InvalidInputException;
import io.meshgate.schema.jooq.finance.finance.tables.records.AccountsRecord;
import io.meshgate.schema.jooq.finance.finance.tables.records.InvoicesRecord;
import io.meshgate.schema.jooq.finance.finance.tables.records.LedgerTransactionsRecord;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Writes the finance operational tables through jOOQ, one transaction per mutation. Never touches
 * the read model: what clients read comes back through change data capture.
 */
@Component
class FinanceStore {

  private final DSLContext dsl;

  FinanceStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  AccountsRecord open(ValidFinance.Account account) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return dsl.insertInto(ACCOUNTS)
        .set(ACCOUNTS.ID, UUID.randomUUID())
        .set(ACCOUNTS.CUSTOMER_ID, account.customerId())
        .set(ACCOUNTS.CURRENCY, account.currency())
        .set(ACCOUNTS.OPENED_AT, now)
        .set(ACCOUNTS.UPDATED_AT, now)
        .returning()
        .fetchSingle();
  }

  /** Books the transaction in the account's currency; the account must exist. */
  LedgerTransactionsRecord post(ValidFinance.Transaction transaction) {
    return dsl.transactionResult(
        config -> {
          DSLContext tx = config.dsl();
          AccountsRecord account =
              tx.selectFrom(ACCOUNTS).where(ACCOUNTS.ID.eq(transaction.accountId())).fetchOne();
          if (account == null) {
            throw new InvalidInputException(
                "input.accountId", "no account with id " + transaction.accountId());
          }
          return insertTransaction(
              tx,
              account.getId(),
              transaction.kind(),
              transaction.amount(),
              account.getCurrency(),
              transaction.reference());
        });
  }

  /** Marks an open invoice PAID and books a CREDIT of its amount, in one transaction. */
  InvoicesRecord pay(UUID id) {
    return dsl.transactionResult(
        config -> {
          DSLContext tx = config.dsl();
          InvoicesRecord invoice =
              tx.selectFrom(INVOICES).where(INVOICES.ID.eq(id)).forUpdate().fetchOne();
          if (invoice == null) {
            throw new InvalidInputException("id", "no invoice with id " + id, "NOT_FOUND");
          }
          if (!invoice.getStatus().equals("OPEN")) {
            throw new InvalidInputException(
                "id", "invoice " + id + " is " + invoice.getStatus() + " and cannot be paid");
          }
          invoice.setStatus("PAID");
          invoice.setUpdatedAt(OffsetDateTime.now(ZoneOffset.UTC));
          invoice.store();
          if (invoice.getAmount().signum() > 0) {
            insertTransaction(
                tx,
                invoice.getAccountId(),
                "CREDIT",
                invoice.getAmount(),
                invoice.getCurrency(),
                "invoice " + id);
          }
          return invoice;
        });
  }

  private static LedgerTransactionsRecord insertTransaction(
      DSLContext tx,
      UUID accountId,
      String kind,
      BigDecimal amount,
      String currency,
      String reference) {
    return tx.insertInto(LEDGER_TRANSACTIONS)
        .set(LEDGER_TRANSACTIONS.ID, UUID.randomUUID())
        .set(LEDGER_TRANSACTIONS.ACCOUNT_ID, accountId)
        .set(LEDGER_TRANSACTIONS.KIND, kind)
        .set(LEDGER_TRANSACTIONS.AMOUNT, amount)
        .set(LEDGER_TRANSACTIONS.CURRENCY, currency)
        .set(LEDGER_TRANSACTIONS.REFERENCE, reference)
        .set(LEDGER_TRANSACTIONS.BOOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
        .returning()
        .fetchSingle();
  }

  /** Accounts from the operational table (for a mutation's answer before capture), by id. */
  Map<UUID, Account> accounts(Collection<UUID> ids) {
    Map<UUID, Account> result = new LinkedHashMap<>();
    dsl.selectFrom(ACCOUNTS)
        .where(ACCOUNTS.ID.in(ids))
        .fetch()
        .forEach(row -> result.put(row.getId(), FinanceReadModel.toAccount(row)));
    return result;
  }
}
