package io.meshgate.audit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.AuditEntry;
import io.meshgate.audit.chain.ChainBreak;
import io.meshgate.audit.chain.ChainHasher;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.chain.EntryCodec;
import io.meshgate.audit.chain.SampleEvents;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.json.CanonicalJson;
import io.meshgate.audit.proof.HeadConsistency;
import io.meshgate.audit.proof.OfflineVerifier;
import io.meshgate.audit.proof.ProofVerdict;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.audit.sign.SigningKeys;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuditLogIT {

  private static final String PRODUCT = "sales";

  @TempDir Path keyDirectory;
  private DataSource database;
  private SigningKeys keys;
  private final List<SignedTreeHead> published = new CopyOnWriteArrayList<>();
  private AuditLog auditLog;

  @BeforeEach
  void openLogInFreshDatabase() {
    database = TestPostgres.freshDatabase();
    keys = SigningKeys.loadOrCreate(keyDirectory);
    auditLog = open(database);
  }

  @AfterEach
  void closeLog() {
    auditLog.close();
  }

  private AuditLog open(DataSource dataSource) {
    return AuditLog.open(
        dataSource,
        keys,
        AuditLogOptions.builder()
            .headEveryEntries(20)
            .headInterval(Duration.ZERO)
            .insertChunkSize(10)
            .progressEvery(10)
            .verifyPageEntries(7)
            .headListener(published::add)
            .build());
  }

  /** Changes number {@code from} to {@code to - 1} of the sales product, in source order. */
  private static List<ChangeEvent> changes(int from, int to) {
    Random random = new Random(from);
    List<ChangeEvent> events = new ArrayList<>();
    for (int i = from; i < to; i++) {
      events.add(SampleEvents.customerChange(PRODUCT, i, random));
    }
    return events;
  }

  private void superuser(String... statements) throws SQLException {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  /** As an attacker with database access would: with the guarding trigger switched off. */
  private void tamper(String sql) throws SQLException {
    superuser(
        "ALTER TABLE audit.log_entries DISABLE TRIGGER log_entries_refuse_update_delete",
        sql,
        "ALTER TABLE audit.log_entries ENABLE TRIGGER log_entries_refuse_update_delete");
  }

  private VerificationReport.Invalid invalid() {
    VerificationReport report = auditLog.verify(PRODUCT, VerificationProgress.NONE);
    assertThat(report).isInstanceOf(VerificationReport.Invalid.class);
    return (VerificationReport.Invalid) report;
  }

  @Test
  void appendsEventsInSourceOrderAndVerifies() {
    List<ChangeEvent> shuffled = changes(0, 30);
    Collections.shuffle(shuffled, new Random(1));

    AppendResult result = auditLog.append(PRODUCT, shuffled);
    auditLog.append(PRODUCT, changes(30, 45));

    assertThat(result.appended()).isEqualTo(30);
    assertThat(auditLog.size(PRODUCT)).isEqualTo(45);
    for (long seq = 1; seq < 45; seq++) {
      ChainedEntry entry = auditLog.entry(PRODUCT, seq).orElseThrow();
      ChainedEntry before = auditLog.entry(PRODUCT, seq - 1).orElseThrow();
      assertThat(entry.entry().change().source().lsn())
          .isGreaterThan(before.entry().change().source().lsn());
      assertThat(entry.previousHash()).isEqualTo(before.hash());
    }
    assertThat(auditLog.verify(PRODUCT, VerificationProgress.NONE))
        .isInstanceOf(VerificationReport.Valid.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "entity = 'warehouse'",
        "source_key = convert_to('{\"id\":\"someone-else\"}', 'UTF8')",
        "source_lsn = source_lsn + 1"
      })
  void namesAnEntryWhosePositionColumnsWereRewritten(String assignment) throws SQLException {
    auditLog.append(PRODUCT, changes(0, 12));
    ChainedEntry target = auditLog.entry(PRODUCT, 7).orElseThrow();
    ChangeEvent change = target.entry().change();
    assertThat(
            auditLog.entries(
                new EntryQuery(PRODUCT, change.entity(), change.key(), null, 10, false)))
        .contains(target);

    tamper(
        "UPDATE audit.log_entries SET "
            + assignment
            + " WHERE product = '"
            + PRODUCT
            + "' AND seq = 7");

    assertThat(invalid().firstBad().seq()).isEqualTo(7);
    assertThat(invalid().firstBad().defect()).isEqualTo(ChainBreak.Defect.POSITION_MISMATCH);
  }

  @Test
  void readsEntriesOfOneRowNewestFirstAndPagesByCursor() {
    List<ChangeEvent> events = changes(0, 20);
    auditLog.append(PRODUCT, events);
    ChangeEvent first = events.getFirst();

    List<ChainedEntry> row =
        auditLog.entries(new EntryQuery(PRODUCT, first.entity(), first.key(), null, 50, true));
    List<ChainedEntry> all = auditLog.entries(new EntryQuery(PRODUCT, null, null, null, 50, false));
    List<ChainedEntry> page = auditLog.entries(new EntryQuery(PRODUCT, null, null, 4L, 3, false));

    assertThat(row)
        .isNotEmpty()
        .allSatisfy(entry -> assertThat(entry.entry().change().key()).isEqualTo(first.key()));
    assertThat(row)
        .extracting(ChainedEntry::seq)
        .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(all)
        .extracting(ChainedEntry::seq)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 20).boxed().toList());
    assertThat(page).extracting(ChainedEntry::seq).containsExactly(5L, 6L, 7L);
    assertThat(auditLog.products()).containsExactly(PRODUCT);
  }

  @Test
  void readsBackEveryEntryExactlyAsItWasHashed() {
    List<ChangeEvent> events = changes(0, 25);
    auditLog.append(PRODUCT, events);

    for (int seq = 0; seq < 25; seq++) {
      assertThat(auditLog.entry(PRODUCT, seq).orElseThrow().entry())
          .isEqualTo(new AuditEntry(seq, events.get(seq)));
    }
  }

  @Test
  void redeliveredEventsAreHarmless() {
    List<ChangeEvent> events = changes(0, 30);
    auditLog.append(PRODUCT, events.subList(0, 20));
    List<ChangeEvent> redelivered = new ArrayList<>(events.subList(10, 30));
    redelivered.addAll(events.subList(25, 30)); // repeated within the batch as well

    AppendResult result = auditLog.append(PRODUCT, redelivered);

    assertThat(result.appended()).isEqualTo(10);
    assertThat(result.alreadyLogged()).isEqualTo(15);
    assertThat(auditLog.size(PRODUCT)).isEqualTo(30);
    assertThat(auditLog.append(PRODUCT, events).appended()).isZero();
    assertThat(auditLog.verify(PRODUCT, VerificationProgress.NONE))
        .isInstanceOf(VerificationReport.Valid.class);
  }

  @Test
  void keepsEachProductsLogApart() {
    auditLog.append(PRODUCT, changes(0, 12));
    Random random = new Random(5);
    List<ChangeEvent> finance = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      finance.add(SampleEvents.customerChange("finance", i, random));
    }

    auditLog.append("finance", finance);

    assertThat(auditLog.size(PRODUCT)).isEqualTo(12);
    assertThat(auditLog.size("finance")).isEqualTo(7);
    assertThat(auditLog.verify("finance", VerificationProgress.NONE))
        .isInstanceOf(VerificationReport.Valid.class);
    assertThatThrownBy(() -> auditLog.append("finance", changes(0, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event of product sales in a batch for finance");
  }

  @Test
  void theDatabaseRefusesToUpdateDeleteOrTruncateTheLog() {
    auditLog.append(PRODUCT, changes(0, 20));

    for (String sql :
        List.of(
            "UPDATE audit.log_entries SET hash = previous_hash WHERE seq = 3",
            "DELETE FROM audit.log_entries WHERE seq = 3",
            "TRUNCATE audit.log_entries",
            "UPDATE audit.tree_heads SET tree_size = 1",
            "DELETE FROM audit.tree_heads",
            "TRUNCATE audit.tree_heads")) {
      assertThatThrownBy(() -> superuser(sql))
          .as(sql)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("is append-only")
          .hasMessageContaining("refused");
    }
    assertThat(auditLog.size(PRODUCT)).isEqualTo(20);
    assertThat(auditLog.verify(PRODUCT, VerificationProgress.NONE))
        .isInstanceOf(VerificationReport.Valid.class);
  }

  @Test
  void aBatchKilledMidwayAndRetriedLeavesNoGapNoDuplicateAndTheChainContinues()
      throws SQLException {
    auditLog.append(PRODUCT, changes(0, 15));
    Hash lastBeforeCrash = auditLog.entry(PRODUCT, 14).orElseThrow().hash();
    List<ChangeEvent> batch = changes(15, 50); // four INSERT statements of at most 10 rows

    try (AuditLog dying = open(ConnectionKiller.afterInserts(database, 2))) {
      assertThatThrownBy(() -> dying.append(PRODUCT, batch))
          .isInstanceOf(org.jooq.exception.DataAccessException.class)
          .hasStackTraceContaining("terminating connection due to administrator command");
    }
    assertThat(auditLog.size(PRODUCT)).isEqualTo(15);

    AppendResult retried = auditLog.append(PRODUCT, batch);

    assertThat(retried.appended()).isEqualTo(35);
    assertThat(retried.firstSeq()).isEqualTo(15);
    assertThat(auditLog.entry(PRODUCT, 15).orElseThrow().previousHash()).isEqualTo(lastBeforeCrash);
    assertThat(auditLog.size(PRODUCT)).isEqualTo(50);
    assertThat(auditLog.verify(PRODUCT, VerificationProgress.NONE))
        .isInstanceOf(VerificationReport.Valid.class);
  }

  @Test
  void aBatchWithAnEventThatCannotBeHashedStoresNothing() {
    auditLog.append(PRODUCT, changes(0, 5));
    List<ChangeEvent> batch = new ArrayList<>(changes(5, 15));
    ChangeEvent good = batch.get(6);
    ObjectNode poisoned =
        good.key().objectNode().put("id", good.key().get("id").asText()).put("ratio", Double.NaN);
    batch.set(
        6,
        new ChangeEvent(
            PRODUCT, good.entity(), good.key(), good.op(), good.before(), poisoned, good.source()));

    assertThatThrownBy(() -> auditLog.append(PRODUCT, batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no canonical form for NaN");
    assertThat(auditLog.size(PRODUCT)).isEqualTo(5);

    batch.set(6, good);
    assertThat(auditLog.append(PRODUCT, batch).appended()).isEqualTo(10);
    assertThat(auditLog.verify(PRODUCT, VerificationProgress.NONE))
        .isInstanceOf(VerificationReport.Valid.class);
  }

  @Test
  void twoProcessesAppendingToOneProductInterleaveWithoutGapOrDuplicate() throws Exception {
    List<ChangeEvent> events = changes(0, 200);
    try (AuditLog other = open(database)) {
      Thread first = Thread.ofPlatform().start(() -> appendInBatches(auditLog, events, 0));
      Thread second = Thread.ofPlatform().start(() -> appendInBatches(other, events, 1));
      first.join();
      second.join();

      assertThat(auditLog.size(PRODUCT)).isEqualTo(200);
      assertThat(auditLog.verify(PRODUCT, VerificationProgress.NONE))
          .isInstanceOf(VerificationReport.Valid.class);
      auditLog.signHead(PRODUCT);
      OfflineVerifier verifier = new OfflineVerifier(keys.publicKey());
      assertThat(verifier.verify(auditLog.proveInclusion(PRODUCT, 199)))
          .isInstanceOf(ProofVerdict.Valid.class);
      assertThat(verifier.verify(other.proveInclusion(PRODUCT, 0)))
          .isInstanceOf(ProofVerdict.Valid.class);
    }
  }

  /**
   * Appends every other batch of ten, starting at batch {@code parity}, and then all of them again.
   */
  private static void appendInBatches(AuditLog target, List<ChangeEvent> events, int parity) {
    for (int from = parity * 10; from < events.size(); from += 20) {
      target.append(PRODUCT, events.subList(from, from + 10));
    }
    target.append(PRODUCT, events);
  }

  @Test
  void signsHeadsOnItsScheduleWhenTheLogGrew() throws Exception {
    List<SignedTreeHead> scheduled = new CopyOnWriteArrayList<>();
    try (AuditLog withSchedule =
        AuditLog.open(
            database,
            keys,
            AuditLogOptions.builder()
                .headEveryEntries(1_000)
                .headInterval(Duration.ofMillis(100))
                .headListener(scheduled::add)
                .build())) {
      withSchedule.append(PRODUCT, changes(0, 7));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (scheduled.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }

      assertThat(scheduled).extracting(SignedTreeHead::treeSize).containsExactly(7L);
      assertThat(withSchedule.latestHead(PRODUCT)).contains(scheduled.getFirst());
    }
  }

  @Test
  void aChangedRowIsFoundAtExactlyItsSeq() throws SQLException {
    auditLog.append(PRODUCT, changes(0, 40));

    tamper(changeCountry(17));

    VerificationReport.Invalid report = invalid();
    assertThat(report.seq()).isEqualTo(17);
    assertThat(report.firstBad().defect()).isEqualTo(ChainBreak.Defect.HASH_MISMATCH);
  }

  /** Rewrites the customer's country in the stored entry bytes, leaving its hashes as they were. */
  private static String changeCountry(long seq) {
    return "UPDATE audit.log_entries SET entry = convert_to(replace(convert_from(entry, 'UTF8'),"
        + " '\"country\":\"', '\"country\":\"X'), 'UTF8') WHERE seq = "
        + seq;
  }

  @Test
  void theLogViewShowsWhatWasHashed() throws SQLException {
    List<ChangeEvent> events = changes(0, 10);
    auditLog.append(PRODUCT, events);
    ChangeEvent third = events.get(3);

    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        var row =
            statement.executeQuery(
                "SELECT entity, entity_key::text, op, row_after::text, source_lsn, source_tx_id,"
                    + " commit_time FROM audit.log WHERE product = 'sales' AND seq = 3")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString(1)).isEqualTo(third.entity());
      assertThat(row.getString(2))
          .isEqualTo("{\"id\": \"" + third.key().get("id").asText() + "\"}");
      assertThat(row.getString(3)).isEqualTo(third.op().code());
      assertThat(row.getString(4) == null).isEqualTo(third.after() == null);
      assertThat(row.getLong(5)).isEqualTo(third.source().lsn());
      assertThat(row.getLong(6)).isEqualTo(third.source().txId());
      assertThat(row.getObject(7, java.time.OffsetDateTime.class).toInstant())
          .isEqualTo(third.source().commitTime());
    }
  }

  @Test
  void aForgedPositionIndexCannotMakeTheLogSkipAnEvent() throws SQLException {
    List<ChangeEvent> events = changes(0, 11);
    auditLog.append(PRODUCT, events.subList(0, 10));
    ChangeEvent next = events.get(10);

    // The attacker makes row 4's index claim the position of an event that has not arrived yet.
    tamper(
        "UPDATE audit.log_entries SET source_lsn = "
            + next.source().lsn()
            + ", source_key = convert_to('"
            + next.key()
            + "', 'UTF8') WHERE seq = 4");

    assertThatThrownBy(() -> auditLog.append(PRODUCT, List.of(next)))
        .isInstanceOf(org.jooq.exception.DataAccessException.class)
        .hasMessageContaining("log_entries_source_position_unique");
    assertThat(auditLog.size(PRODUCT)).isEqualTo(10);
  }

  @Test
  void aDeletedRowIsFoundAtExactlyItsSeq() throws SQLException {
    auditLog.append(PRODUCT, changes(0, 40));

    tamper("DELETE FROM audit.log_entries WHERE seq = 23");

    VerificationReport.Invalid report = invalid();
    assertThat(report.seq()).isEqualTo(23);
    assertThat(report.firstBad().defect()).isEqualTo(ChainBreak.Defect.MISSING_OR_MISPLACED);
  }

  @Test
  void removedLastEntriesAreFoundAgainstTheSignedHead() throws SQLException {
    auditLog.append(PRODUCT, changes(0, 40)); // signs a head over 40 entries

    tamper("DELETE FROM audit.log_entries WHERE seq >= 37");

    VerificationReport.Invalid report = invalid();
    assertThat(report.seq()).isEqualTo(37);
    assertThat(report.firstBad().detail()).contains("log ends before seq 37");
  }

  @Test
  void aConsistentlyRewrittenChainIsFoundByItsSignedHead() throws SQLException {
    auditLog.append(PRODUCT, changes(0, 40));
    assertThat(auditLog.latestHead(PRODUCT)).map(SignedTreeHead::treeSize).contains(40L);

    // The attacker rewrites entry 30 and recomputes every later hash, so that the chain holds.
    ChainHasher hasher = new ChainHasher();
    Hash previous = auditLog.entry(PRODUCT, 29).orElseThrow().hash();
    List<String> updates = new ArrayList<>();
    for (long seq = 30; seq < 40; seq++) {
      AuditEntry entry = auditLog.entry(PRODUCT, seq).orElseThrow().entry();
      if (seq == 30) {
        ChangeEvent change = entry.change();
        ObjectNode forgedKey = change.key().deepCopy().put("forged", true);
        entry =
            new AuditEntry(
                seq,
                new ChangeEvent(
                    change.product(),
                    change.entity(),
                    forgedKey,
                    change.op(),
                    change.before(),
                    change.after(),
                    change.source()));
      }
      byte[] bytes = EntryCodec.encode(entry);
      Hash hash = hasher.hash(previous, bytes);
      // Consistently: the indexed key too, or the position check would name the entry at once.
      String sourceKey = HexFormat.of().formatHex(CanonicalJson.encode(entry.change().key()));
      updates.add(
          "UPDATE audit.log_entries SET entry = '\\x"
              + HexFormat.of().formatHex(bytes)
              + "', previous_hash = '\\x"
              + previous.hex()
              + "', hash = '\\x"
              + hash.hex()
              + "', source_key = '\\x"
              + sourceKey
              + "' WHERE seq = "
              + seq);
      previous = hash;
    }
    for (String update : updates) {
      tamper(update);
    }

    VerificationReport.Invalid report = invalid();
    assertThat(report.firstBad().defect()).isEqualTo(ChainBreak.Defect.TREE_HEAD_MISMATCH);
    assertThat(report.seq()).isEqualTo(39);
    assertThat(report.firstBad().detail()).contains("an entry between seq 0 and 39 was rewritten");
  }

  @Test
  void signsHeadsEveryNEntriesAndTheirProofsVerifyOffline() {
    auditLog.append(PRODUCT, changes(0, 15));
    auditLog.append(PRODUCT, changes(15, 30));
    auditLog.append(PRODUCT, changes(30, 45));

    assertThat(published).extracting(SignedTreeHead::treeSize).containsExactly(30L);
    OfflineVerifier verifier = new OfflineVerifier(keys.publicKey());
    assertThat(verifier.verify(auditLog.proveInclusion(PRODUCT, 7)))
        .isInstanceOf(ProofVerdict.Valid.class);
    assertThat(auditLog.proveInclusion(PRODUCT, 7).head().treeSize()).isEqualTo(30);
    // Entry 40 is not covered by the head of 30 yet: a proof does not sign one, the next head
    // covers it.
    assertThatThrownBy(() -> auditLog.proveInclusion(PRODUCT, 40))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("covers entry 40");
    assertThat(auditLog.latestHead(PRODUCT)).map(SignedTreeHead::treeSize).contains(30L);
    auditLog.signHead(PRODUCT);
    assertThat(verifier.verify(auditLog.proveInclusion(PRODUCT, 40)))
        .isInstanceOf(ProofVerdict.Valid.class);
    assertThat(verifier.verify(auditLog.proveConsistency(PRODUCT, 30, 45)))
        .isInstanceOf(ProofVerdict.Valid.class);
    assertThatThrownBy(() -> auditLog.proveConsistency(PRODUCT, 3, 45))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size 3");
  }

  @Test
  void proofsStoreNoHead() throws SQLException {
    auditLog.append(PRODUCT, changes(0, 25)); // a head of 25
    auditLog.append(PRODUCT, changes(25, 45)); // and one of 45
    long before = storedHeads();

    for (int i = 0; i < 20; i++) {
      auditLog.proveConsistency(PRODUCT, 25, 45);
      auditLog.proveInclusion(PRODUCT, i);
    }
    assertThatThrownBy(() -> auditLog.proveConsistency(PRODUCT, 30, 45))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(storedHeads()).isEqualTo(before).isEqualTo(2);
    assertThat(published).extracting(SignedTreeHead::treeSize).containsExactly(25L, 45L);
  }

  @Test
  void aProofUnderAHeadAnotherProcessSignedReadsTheEntriesItMissed() {
    auditLog.append(PRODUCT, changes(0, 20)); // loads this process's tree with a head of 20
    try (AuditLog other = open(database)) {
      other.append(PRODUCT, changes(20, 45)); // a head of 45, signed by the other process
    }

    HeadConsistency proof = auditLog.proveConsistency(PRODUCT, 20, 45);

    assertThat(new OfflineVerifier(keys.publicKey()).verify(proof))
        .isInstanceOf(ProofVerdict.Valid.class);
    assertThat(new OfflineVerifier(keys.publicKey()).verify(auditLog.proveInclusion(PRODUCT, 44)))
        .isInstanceOf(ProofVerdict.Valid.class);
  }

  private long storedHeads() throws SQLException {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT count(*) FROM audit.tree_heads")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  void anInclusionProofOfATamperedEntryDoesNotVerify() throws SQLException {
    auditLog.append(PRODUCT, changes(0, 40));
    tamper(changeCountry(12));

    ProofVerdict verdict =
        new OfflineVerifier(keys.publicKey()).verify(auditLog.proveInclusion(PRODUCT, 12));

    assertThat(verdict).isInstanceOf(ProofVerdict.Invalid.class);
  }

  @Test
  void aRestartedLogContinuesTheChainAndItsTree() {
    auditLog.append(PRODUCT, changes(0, 25));
    auditLog.close();

    auditLog = open(database);
    auditLog.append(PRODUCT, changes(25, 33));
    auditLog.signHead(PRODUCT);

    assertThat(new OfflineVerifier(keys.publicKey()).verify(auditLog.proveInclusion(PRODUCT, 32)))
        .isInstanceOf(ProofVerdict.Valid.class);
    assertThat(auditLog.verify(PRODUCT, VerificationProgress.NONE))
        .isInstanceOf(VerificationReport.Valid.class);
  }

  @Test
  void reportsProgressAndVerifiesARange() {
    auditLog.append(PRODUCT, changes(0, 40)); // signs a head over 40 entries
    auditLog.append(PRODUCT, changes(40, 45));
    List<Long> reported = new ArrayList<>();

    VerificationReport report =
        auditLog.verify(PRODUCT, 5, 39, progress -> reported.add(progress.verifiedThrough()));

    assertThat(report).isInstanceOf(VerificationReport.Valid.class);
    assertThat(((VerificationReport.Valid) report).headsChecked())
        .isEqualTo(1); // the head of 40 entries
    assertThat(reported).containsExactly(14L, 24L, 34L, 39L);
  }

  @Test
  void readsALongLogInPagesOfOneTransactionEach() throws SQLException {
    auditLog.append(PRODUCT, changes(0, 40)); // a head of 40
    Set<String> transactions = new HashSet<>();

    VerificationReport report =
        auditLog.verify(PRODUCT, progress -> transactions.add(verifyingTransaction()));

    assertThat(report).isInstanceOf(VerificationReport.Valid.class);
    assertThat(((VerificationReport.Valid) report).headsChecked()).isEqualTo(1);
    // Progress every 10 entries, pages of 7: seqs 9, 19, 29 and 39 are read in four different
    // pages.
    assertThat(transactions).hasSize(4);
  }

  @Test
  void findsABreakOnAPageBoundaryAndAtTheEndOfTheLastPage() throws SQLException {
    auditLog.append(
        PRODUCT, changes(0, 30)); // a head of 30; pages of 7 start at 0, 7, 14, 21 and 28

    tamper("DELETE FROM audit.log_entries WHERE seq = 29");
    assertThat(invalid().seq()).isEqualTo(29);

    tamper("DELETE FROM audit.log_entries WHERE seq = 14");
    VerificationReport.Invalid report = invalid();
    assertThat(report.seq()).isEqualTo(14);
    assertThat(report.firstBad().defect()).isEqualTo(ChainBreak.Defect.MISSING_OR_MISPLACED);
  }

  /**
   * The start of the transaction in which another connection is reading the log, as Postgres
   * reports it.
   */
  private String verifyingTransaction() {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        var rows =
            statement.executeQuery(
                "SELECT pid, xact_start FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                    + " AND xact_start IS NOT NULL AND query LIKE '%log_entries%'")) {
      assertThat(rows.next())
          .as("a transaction reading the log while the verification reports progress")
          .isTrue();
      String transaction = rows.getInt(1) + "@" + rows.getString(2);
      assertThat(rows.next()).as("only one").isFalse();
      return transaction;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void reportsTheEndOfARangeOnceWhenItFallsOnAProgressStep() {
    auditLog.append(PRODUCT, changes(0, 30));
    List<Long> reported = new ArrayList<>();

    auditLog.verify(PRODUCT, progress -> reported.add(progress.verifiedThrough()));

    assertThat(reported).containsExactly(9L, 19L, 29L);
  }

  /** Wraps a data source so that its connection dies just before its n-th INSERT is sent. */
  private static final class ConnectionKiller {

    static DataSource afterInserts(DataSource real, int killBeforeInsert) {
      return (DataSource)
          java.lang.reflect.Proxy.newProxyInstance(
              DataSource.class.getClassLoader(),
              new Class<?>[] {DataSource.class},
              (proxy, method, args) -> {
                Object result = invoke(method, real, args);
                if (method.getName().equals("getConnection")) {
                  return dying((Connection) result, real, new int[] {0}, killBeforeInsert);
                }
                return result;
              });
    }

    private static Connection dying(
        Connection connection, DataSource admin, int[] inserts, int killBeforeInsert)
        throws SQLException {
      int pid;
      try (Statement statement = connection.createStatement();
          var rows = statement.executeQuery("SELECT pg_backend_pid()")) {
        rows.next();
        pid = rows.getInt(1);
      }
      return (Connection)
          java.lang.reflect.Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                Object result = invoke(method, connection, args);
                if (method.getName().equals("prepareStatement")
                    && ((String) args[0]).startsWith("insert into \"audit\".\"log_entries\"")
                    && ++inserts[0] == killBeforeInsert) {
                  terminate(admin, pid);
                }
                return result;
              });
    }

    private static void terminate(DataSource admin, int pid) throws SQLException {
      try (Connection connection = admin.getConnection();
          PreparedStatement kill = connection.prepareStatement("SELECT pg_terminate_backend(?)")) {
        kill.setInt(1, pid);
        kill.execute();
      }
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
        throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
