package io.meshgate.product.finance;

import io.meshgate.schema.jooq.finance.finance.tables.records.AccountsRecord;
import io.meshgate.schema.jooq.finance.finance.tables.records.LedgerTransactionsRecord;
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
import org.jooq.impl.DSL;

/**
 * Loads a reproducible sample on the product's first start: one account for each of the first
 * {@link #ACCOUNT_COUNT} sales sample customers (whose ids sales derives from their index), each
 * with an opening credit and one or two further transactions, so the federated graph joins
 * customers to accounts at once. Runs as a versioned migration: exactly once per database.
 */
class SampleAccounts implements JavaMigration {

  static final int ACCOUNT_COUNT = 200;

  private static final String[] CURRENCIES = {"EUR", "USD", "JPY"};
  private static final String[] REFERENCES = {
    "card payment", "bank transfer", "refund", "fee", "adjustment"
  };

  /** The rows of the sample, in insertion order (accounts, then their transactions). */
  record Sample(List<AccountsRecord> accounts, List<LedgerTransactionsRecord> transactions) {}

  @Override
  public void migrate(Context context) {
    DSLContext dsl = DSL.using(context.getConnection(), SQLDialect.POSTGRES);
    Sample sample =
        generate(ACCOUNT_COUNT, new Random(20261128L), OffsetDateTime.now(ZoneOffset.UTC));
    dsl.batchInsert(sample.accounts()).execute();
    dsl.batchInsert(sample.transactions()).execute();
  }

  /** The id sales gives its {@code index}-th sample customer. */
  static UUID sampleCustomerId(int index) {
    return UUID.nameUUIDFromBytes(
        ("meshgate-sample-customer-" + index).getBytes(StandardCharsets.UTF_8));
  }

  /** The sample rows, reproducible for a given random source. */
  static Sample generate(int count, Random random, OffsetDateTime now) {
    List<AccountsRecord> accounts = new ArrayList<>(count);
    List<LedgerTransactionsRecord> transactions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      UUID accountId =
          UUID.nameUUIDFromBytes(("meshgate-sample-account-" + i).getBytes(StandardCharsets.UTF_8));
      OffsetDateTime opened = now.minusMinutes(30 * 24 * 60 + random.nextInt(150 * 24 * 60));
      String currency = CURRENCIES[i % CURRENCIES.length];
      AccountsRecord account = new AccountsRecord();
      account.setId(accountId);
      account.setCustomerId(sampleCustomerId(i));
      account.setCurrency(currency);
      account.setOpenedAt(opened);
      account.setUpdatedAt(opened);
      accounts.add(account);
      int transactionCount = 2 + random.nextInt(2);
      OffsetDateTime booked = opened;
      for (int t = 0; t < transactionCount; t++) {
        booked = booked.plusMinutes(1 + random.nextInt(7 * 24 * 60));
        LedgerTransactionsRecord row = new LedgerTransactionsRecord();
        row.setId(
            UUID.nameUUIDFromBytes(
                ("meshgate-sample-account-" + i + "-transaction-" + t)
                    .getBytes(StandardCharsets.UTF_8)));
        row.setAccountId(accountId);
        boolean opening = t == 0;
        row.setKind(opening || random.nextInt(3) == 0 ? "CREDIT" : "DEBIT");
        row.setAmount(
            BigDecimal.valueOf(
                opening ? 10_000 + random.nextInt(90_000) : 100 + random.nextInt(20_000), 2));
        row.setCurrency(currency);
        row.setReference(
            opening ? "opening deposit" : REFERENCES[random.nextInt(REFERENCES.length)]);
        row.setBookedAt(booked);
        transactions.add(row);
      }
    }
    return new Sample(accounts, transactions);
  }

  @Override
  public MigrationVersion getVersion() {
    return MigrationVersion.fromVersion("3");
  }

  @Override
  public Integer getChecksum() {
    return ACCOUNT_COUNT;
  }

  @Override
  public String getDescription() {
    return "finance sample accounts and transactions";
  }

  @Override
  public boolean canExecuteInTransaction() {
    return true;
  }
}
