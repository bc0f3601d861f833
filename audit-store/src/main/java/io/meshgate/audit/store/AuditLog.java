package io.meshgate.audit.store;

import static io.meshgate.schema.jooq.audit.Tables.SOURCE_GAPS;

import io.meshgate.audit.chain.AuditEntry;
import io.meshgate.audit.chain.ChainBreak;
import io.meshgate.audit.chain.ChainHasher;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.chain.EntryCodec;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.merkle.BackgroundRootAccumulator;
import io.meshgate.audit.merkle.MerkleTree;
import io.meshgate.audit.proof.EntryInclusion;
import io.meshgate.audit.proof.HeadConsistency;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.audit.sign.TreeHeadSigner;
import java.security.PublicKey;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record7;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log of every data product, kept in PostgreSQL: the one door to it.
 *
 * <ul>
 *   <li>{@link #append} adds a batch of one product's change events to its hash chain in one
 *       transaction, in source order, exactly once per source position (a redelivered event is
 *       skipped), continuing from the last stored hash;
 *   <li>tree heads are signed after every {@link AuditLogOptions#headEveryEntries()} entries, on a
 *       schedule, and on demand ({@link #signHead}); nothing else writes a head;
 *   <li>{@link #proveInclusion} and {@link #proveConsistency} answer proofs of O(log n) hashes
 *       under heads already stored, which {@link io.meshgate.audit.proof.OfflineVerifier} checks
 *       with only the public key; they write nothing and never take the product's lock appends
 *       hold;
 *   <li>{@link #verify} recomputes the stored chain and tree and names the first bad sequence
 *       number, reading the rows in pages of {@link AuditLogOptions#verifyPageEntries()}, one
 *       transaction each.
 * </ul>
 *
 * <p>Each product's Merkle tree is held in memory once a head or proof needs it (about 64 bytes per
 * entry), loaded from the stored chain hashes and kept up to date by appends; several processes may
 * append to one database, since appends of a product are serialised by a transaction-scoped
 * advisory lock and trees catch up from the table. A tree is loaded outside the product's lock, so
 * neither a proof nor a first head holds up appends while a large log is read.
 *
 * <p>Thread-safe.
 */
public final class AuditLog implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final DSLContext dsl;
  private final TreeHeadSigner signer;
  private final AuditLogOptions options;
  private final Map<String, ProductState> products = new ConcurrentHashMap<>();
  private final @Nullable ScheduledExecutorService schedule;

  private AuditLog(DataSource dataSource, SigningKeys keys, AuditLogOptions options) {
    this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES, new Settings().withExecuteLogging(false));
    this.signer = new TreeHeadSigner(keys);
    this.options = options;
    this.schedule = options.headInterval().isZero() ? null : startSchedule(options);
  }

  /**
   * Opens the audit log in {@code dataSource}'s database, creating or upgrading its tables first.
   *
   * @param dataSource the database (a pooled data source in production)
   * @param keys the key heads are signed with
   * @param options when heads are signed, and batch sizes
   */
  public static AuditLog open(DataSource dataSource, SigningKeys keys, AuditLogOptions options) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(options, "options");
    AuditSchema.migrate(dataSource);
    AuditLog auditLog = new AuditLog(dataSource, keys, options);
    auditLog
        .dsl
        .transactionResult(cfg -> new PostgresLogTables(cfg.dsl()).products())
        .forEach(auditLog::state);
    return auditLog;
  }

  private ScheduledExecutorService startSchedule(AuditLogOptions options) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "audit-tree-heads");
              thread.setDaemon(true);
              return thread;
            });
    long period = options.headInterval().toMillis();
    executor.scheduleWithFixedDelay(this::signGrownHeads, period, period, TimeUnit.MILLISECONDS);
    return executor;
  }

  private void signGrownHeads() {
    for (Map.Entry<String, ProductState> product : products.entrySet()) {
      try {
        // A product is known from the start of its first append, before anything is stored:
        // an empty log gets no head.
        if (product.getValue().locked(MerkleTree::size) > 0) {
          signHead(product.getKey());
        }
      } catch (RuntimeException e) {
        // The next run retries; one product's trouble must not stop the others' heads.
        log.warn("Could not sign the tree head of {}'s audit log", product.getKey(), e);
      }
    }
  }

  // --- Appending -------------------------------------------------------------------------------

  /**
   * Appends one product's change events to its log in one transaction: in source order (by LSN,
   * keeping the given order among equal LSNs), skipping every event whose source position (LSN,
   * entity, key) is already logged, continuing the chain from the last stored entry. Either every
   * new entry is stored or none is, so a batch that fails can simply be retried.
   *
   * @param product the product whose log to append to
   * @param events its change events; may repeat events already logged
   * @throws IllegalArgumentException if an event belongs to another product or has no canonical
   *     JSON form (nothing is stored then)
   * @throws org.jooq.exception.DataAccessException if the database fails (nothing is stored then)
   */
  public AppendResult append(String product, List<ChangeEvent> events) {
    Objects.requireNonNull(product, "product");
    for (ChangeEvent event : events) {
      if (!event.product().equals(product)) {
        throw new IllegalArgumentException(
            "event of product " + event.product() + " in a batch for " + product);
      }
    }
    List<ChangeEvent> ordered = new ArrayList<>(events);
    ordered.sort(Comparator.comparingLong(event -> event.source().lsn())); // stable
    ProductState state = state(product);
    Appended appended =
        dsl.transactionResult(
            cfg -> appendInTransaction(new PostgresLogTables(cfg.dsl()), product, ordered));
    AppendResult result = appended.result();
    state.appended(result, appended.hashes());
    if (result.appended() > 0 && result.size() - state.signedSize() >= options.headEveryEntries()) {
      signHead(product);
    }
    return result;
  }

  /** An append's result with the chain hashes it stored, to bring a loaded tree up to date. */
  private record Appended(AppendResult result, List<Hash> hashes) {}

  private Appended appendInTransaction(
      PostgresLogTables tables, String product, List<ChangeEvent> ordered) {
    tables.lockProduct(product);
    var last = tables.last(product);
    long next = last.map(row -> row.value1() + 1).orElse(0L);
    Hash previous = last.map(row -> Hash.of(row.value2())).orElse(Hash.ZERO);
    long firstSeq = next;
    if (ordered.isEmpty()) {
      return new Appended(new AppendResult(product, 0, 0, firstSeq, next, previous), List.of());
    }
    Set<PostgresLogTables.SourceKey> seen =
        new HashSet<>(
            tables.positionsLogged(
                product, ordered.getFirst().source().lsn(), ordered.getLast().source().lsn()));
    ChainHasher hasher = new ChainHasher();
    List<ChainedEntry> chained = new ArrayList<>(ordered.size());
    List<byte[]> canonical = new ArrayList<>(ordered.size());
    for (ChangeEvent event : ordered) {
      if (!seen.add(PostgresLogTables.SourceKey.of(event))) {
        continue;
      }
      AuditEntry entry = new AuditEntry(next, event);
      byte[] bytes = EntryCodec.encode(entry);
      Hash hash = hasher.hash(previous, bytes);
      chained.add(new ChainedEntry(entry, previous, hash));
      canonical.add(bytes);
      previous = hash;
      next++;
    }
    tables.insert(chained, canonical, options.insertChunkSize());
    return new Appended(
        new AppendResult(
            product, chained.size(), ordered.size() - chained.size(), firstSeq, next, previous),
        chained.stream().map(ChainedEntry::hash).toList());
  }

  // --- Reading ---------------------------------------------------------------------------------

  /** Number of entries in the product's log. */
  public long size(String product) {
    return dsl.transactionResult(
        cfg ->
            new PostgresLogTables(cfg.dsl()).last(product).map(row -> row.value1() + 1).orElse(0L));
  }

  /** The stored entry at {@code seq}, with its hashes, if there is one. */
  public Optional<ChainedEntry> entry(String product, long seq) {
    return dsl.transactionResult(cfg -> new PostgresLogTables(cfg.dsl()).entry(product, seq));
  }

  /** The product's latest signed tree head, if one was signed. */
  public Optional<SignedTreeHead> latestHead(String product) {
    return dsl.transactionResult(cfg -> new PostgresLogTables(cfg.dsl()).latestHead(product));
  }

  /**
   * Reads a page of the product's stored entries, selected by entity and key through the indexed
   * position columns; an entry is returned only if its hashed bytes name that entity and key.
   */
  public List<ChainedEntry> entries(EntryQuery query) {
    if (query.limit() == 0) {
      return List.of();
    }
    return dsl.transactionResult(cfg -> new PostgresLogTables(cfg.dsl()).entries(query));
  }

  // --- Gaps ------------------------------------------------------------------------------------

  /**
   * Records a range of a product's change topic deleted before it was read. The same range recorded
   * again (found again after a restart) is kept once, with its first detection time.
   *
   * @return true if the range was not on record yet
   */
  public boolean recordGap(SourceGap gap) {
    return dsl.transactionResult(
        cfg ->
            cfg.dsl()
                    .insertInto(SOURCE_GAPS)
                    .set(SOURCE_GAPS.PRODUCT, gap.product())
                    .set(SOURCE_GAPS.TOPIC, gap.topic())
                    .set(SOURCE_GAPS.PARTITION_NO, gap.partition())
                    .set(SOURCE_GAPS.FROM_OFFSET, gap.fromOffset())
                    .set(SOURCE_GAPS.TO_OFFSET, gap.toOffset())
                    .set(SOURCE_GAPS.DETECTED_AT, gap.detectedAt().atOffset(ZoneOffset.UTC))
                    .onConflictDoNothing()
                    .execute()
                == 1);
  }

  /** Every gap on record for the product's change topics, in the order they were found. */
  public List<SourceGap> gaps(String product) {
    return dsl.transactionResult(
        cfg ->
            cfg.dsl()
                .selectFrom(SOURCE_GAPS)
                .where(SOURCE_GAPS.PRODUCT.eq(product))
                .orderBy(
                    SOURCE_GAPS.DETECTED_AT,
                    SOURCE_GAPS.TOPIC,
                    SOURCE_GAPS.PARTITION_NO,
                    SOURCE_GAPS.FROM_OFFSET)
                .fetch(
                    row ->
                        new SourceGap(
                            row.getProduct(),
                            row.getTopic(),
                            row.getPartitionNo(),
                            row.getFromOffset(),
                            row.getToOffset(),
                            row.getDetectedAt().toInstant())));
  }

  /** Every product whose log has at least one entry, by name. */
  public List<String> products() {
    return dsl.transactionResult(cfg -> new PostgresLogTables(cfg.dsl()).products());
  }

  /** The public key that verifies this log's heads. */
  public PublicKey publicKey() {
    return signer.publicKey();
  }

  // --- Heads and proofs ------------------------------------------------------------------------

  /**
   * Signs and stores a head over the product's whole log, unless the latest head already covers it.
   *
   * @return the head covering every entry logged when called
   */
  public SignedTreeHead signHead(String product) {
    ProductState state = state(product);
    return state.locked(
        tree -> {
          SignedTreeHead latest = state.latestHead();
          if (latest != null && latest.treeSize() == tree.size()) {
            return latest;
          }
          return storeNewHead(state, tree, tree.size());
        });
  }

  private SignedTreeHead storeNewHead(ProductState state, MerkleTree tree, long treeSize) {
    SignedTreeHead signed =
        signer.sign(state.product, treeSize, tree.rootAt(treeSize), options.clock().instant());
    SignedTreeHead stored =
        dsl.transactionResult(cfg -> new PostgresLogTables(cfg.dsl()).storeHead(signed));
    state.headStored(stored);
    if (stored.equals(signed)) {
      options.headListener().accept(stored);
    }
    return stored;
  }

  /** The product's stored head over its first {@code treeSize} entries, if one was signed. */
  public Optional<SignedTreeHead> head(String product, long treeSize) {
    return dsl.transactionResult(cfg -> new PostgresLogTables(cfg.dsl()).head(product, treeSize));
  }

  /**
   * The product's stored heads, smallest first: at most {@code limit} of them, of sizes above
   * {@code afterSize}.
   */
  public List<SignedTreeHead> heads(String product, long afterSize, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return dsl.transactionResult(
        cfg -> new PostgresLogTables(cfg.dsl()).headsAfter(product, afterSize, limit));
  }

  /**
   * The sizes of the product's stored heads nearest to {@code treeSize}: the largest below and the
   * smallest above, where there are such heads (to tell a caller which sizes it can ask for).
   */
  public List<Long> headSizesAround(String product, long treeSize) {
    return dsl.transactionResult(
        cfg -> new PostgresLogTables(cfg.dsl()).headSizesAround(product, treeSize));
  }

  /**
   * Proves that entry {@code seq} is in the product's log: the entry, the audit path to the root of
   * the latest stored head, and that head. Writes nothing.
   *
   * @throws IllegalArgumentException if the log has no entry {@code seq}, or no stored head covers
   *     it yet (the next one signed will)
   * @throws IllegalStateException if the stored log no longer fits its signed heads (verify it)
   */
  public EntryInclusion proveInclusion(String product, long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("the audit log of " + product + " has no entry " + seq);
    }
    SignedTreeHead head =
        latestHead(product)
            .filter(latest -> latest.treeSize() > seq)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no signed head of "
                            + product
                            + "'s audit log covers entry "
                            + seq
                            + " yet; the next head signed will"));
    MerkleTree tree = state(product).treeCovering(head.treeSize());
    ChainedEntry entry =
        entry(product, seq)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "entry "
                            + seq
                            + " of "
                            + product
                            + " disappeared from the table; verify the log"));
    return new EntryInclusion(
        entry.entry(), entry.previousHash(), tree.inclusionProof(seq, head.treeSize()), head);
  }

  /**
   * Proves that the product's log only grew from {@code oldSize} to {@code newSize} entries,
   * between its stored heads of those sizes. Writes nothing.
   *
   * @throws IllegalArgumentException if {@code oldSize > newSize} or either size has no stored head
   * @throws IllegalStateException if the stored log no longer fits its signed heads (verify it)
   */
  public HeadConsistency proveConsistency(String product, long oldSize, long newSize) {
    if (oldSize > newSize) {
      throw new IllegalArgumentException(
          "need oldSize <= newSize for " + product + ", got " + oldSize + " and " + newSize);
    }
    SignedTreeHead first =
        head(product, oldSize)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no signed head of " + product + "'s audit log has size " + oldSize));
    SignedTreeHead second =
        head(product, newSize)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no signed head of " + product + "'s audit log has size " + newSize));
    MerkleTree tree = state(product).treeCovering(newSize);
    return new HeadConsistency(first, second, tree.consistencyProof(oldSize, newSize));
  }

  // --- Verification ----------------------------------------------------------------------------

  /**
   * Verifies the product's whole log, including every signed head: every entry stored or covered by
   * a signed head, whichever reaches further.
   */
  public VerificationReport verify(String product, VerificationProgress progress) {
    return verify(product, 0, wholeLogSize(product) - 1, progress);
  }

  /**
   * The number of entries a verification of the whole log checks: the stored entries, or the size
   * of the latest signed head if that is larger (a log that lost its last entries is shorter than
   * its signed heads say).
   */
  public long wholeLogSize(String product) {
    long stored = size(product);
    long signed = latestHead(product).map(SignedTreeHead::treeSize).orElse(0L);
    return Math.max(stored, signed);
  }

  /**
   * How many rows {@link #verify(String, long, long, VerificationProgress)} reads for this range:
   * the range, and the chain hashes before it when a signed head within it is to be checked (its
   * root covers them).
   */
  public long rowsToVerify(String product, long fromSeq, long toSeq) {
    long range = Math.max(0, toSeq - fromSeq + 1);
    if (fromSeq == 0 || range == 0) {
      return range;
    }
    boolean headInRange =
        dsl
            .transactionResult(
                cfg -> new PostgresLogTables(cfg.dsl()).headsAfter(product, fromSeq, 1))
            .stream()
            .anyMatch(head -> head.treeSize() <= toSeq + 1);
    return headInRange ? range + fromSeq : range;
  }

  /**
   * Verifies entries {@code fromSeq} to {@code toSeq} (inclusive) of the product's stored log:
   * every entry must have its seq, belong to the product, link to the stored hash of the entry
   * before it and hash to its stored hash, and every signed head of a size within {@code (fromSeq,
   * toSeq + 1]} must carry a valid signature and the root recomputed over the stored chain hashes,
   * and every entry's indexed source position must match what it says. Reads the rows in pages of
   * {@link AuditLogOptions#verifyPageEntries()}, one transaction each (entries are never rewritten,
   * so the pages fit together); reports progress every {@link AuditLogOptions#progressEvery()}
   * entries.
   *
   * @return valid, or the first bad sequence number and what is wrong with it
   * @throws CancellationException if the calling thread is interrupted (checked between pages)
   */
  public VerificationReport verify(
      String product, long fromSeq, long toSeq, VerificationProgress progress) {
    if (fromSeq < 0 || toSeq < fromSeq - 1) {
      throw new IllegalArgumentException(
          "need 0 <= fromSeq <= toSeq + 1, got " + fromSeq + " and " + toSeq);
    }
    return verifyChain(product, fromSeq, toSeq, progress, System.nanoTime());
  }

  /**
   * Streams the rows through a {@link StoredRowVerifier} on this thread while a {@link
   * BackgroundRootAccumulator} computes the tree over the accepted chain hashes on another (when
   * there are heads to check), then checks the heads reached, in order. A head that fails names a
   * seq below any chain break found after it (its leaves were all accepted), so the first defect
   * reported is the one a single pass in seq order would report.
   */
  private VerificationReport verifyChain(
      String product, long fromSeq, long toSeq, VerificationProgress progress, long started) {
    List<SignedTreeHead> heads =
        dsl.transactionResult(
            cfg -> new PostgresLogTables(cfg.dsl()).heads(product, fromSeq + 1, toSeq + 1));
    try (BackgroundRootAccumulator tree =
        heads.isEmpty()
            ? null
            : new BackgroundRootAccumulator(
                heads.stream().mapToLong(SignedTreeHead::treeSize).toArray())) {
      Hash anchor = fromSeq == 0 ? Hash.ZERO : prefix(product, fromSeq, tree);
      StoredRowVerifier chain = new StoredRowVerifier(product, fromSeq, anchor);
      byte[] leaf = new byte[Hash.LENGTH];
      Optional<ChainBreak> broken = Optional.empty();
      long page = options.verifyPageEntries();
      for (long pageFrom = fromSeq; pageFrom <= toSeq && broken.isEmpty(); pageFrom += page) {
        requireNotInterrupted(product, pageFrom);
        long from = pageFrom;
        long to = Math.min(toSeq, pageFrom + page - 1);
        broken =
            dsl.transactionResult(
                cfg ->
                    verifyPage(
                        new PostgresLogTables(cfg.dsl()),
                        product,
                        from,
                        to,
                        fromSeq,
                        toSeq,
                        chain,
                        tree,
                        leaf,
                        progress,
                        started));
      }
      if (broken.isEmpty()) {
        broken = chain.finish(toSeq + 1);
      }
      int headsChecked = 0;
      if (tree != null) {
        List<Hash> roots = tree.finish();
        long lastMatchedSize = 0; // entries below this size match a verified signed head
        for (int i = 0; i < roots.size(); i++) {
          SignedTreeHead head = heads.get(i);
          Optional<ChainBreak> headBreak = checkHead(head, roots.get(i), lastMatchedSize);
          if (headBreak.isPresent()) {
            return new VerificationReport.Invalid(
                product, headBreak.get(), System.nanoTime() - started);
          }
          headsChecked++;
          lastMatchedSize = head.treeSize();
        }
      }
      if (broken.isPresent()) {
        return new VerificationReport.Invalid(product, broken.get(), System.nanoTime() - started);
      }
      if ((toSeq + 1 - fromSeq) % options.progressEvery() != 0 || toSeq < fromSeq) {
        progress.onProgress(
            new VerificationProgress.Progress(
                product, fromSeq, toSeq, toSeq, System.nanoTime() - started));
      }
      return new VerificationReport.Valid(
          product, fromSeq, toSeq, headsChecked, System.nanoTime() - started);
    }
  }

  /**
   * Checks the rows of seqs {@code [pageFrom, pageTo]} of a verification of {@code [fromSeq,
   * toSeq]}.
   */
  private Optional<ChainBreak> verifyPage(
      PostgresLogTables tables,
      String product,
      long pageFrom,
      long pageTo,
      long fromSeq,
      long toSeq,
      StoredRowVerifier chain,
      @Nullable BackgroundRootAccumulator tree,
      byte[] leaf,
      VerificationProgress progress,
      long started) {
    try (Cursor<Record7<Long, byte[], byte[], Integer, String, Long, byte[]>> rows =
        tables.storedEntries(product, pageFrom, pageTo)) {
      for (Record7<Long, byte[], byte[], Integer, String, Long, byte[]> row : rows) {
        Optional<ChainBreak> broken =
            chain.accept(
                row.value1(),
                row.value2(),
                row.value3(),
                row.value4(),
                row.value5(),
                row.value6(),
                row.value7());
        if (broken.isPresent()) {
          return broken;
        }
        if (tree != null) {
          chain.copyLastHash(leaf, 0);
          tree.addLeaf(leaf, 0);
        }
        long done = chain.expectedSeq() - fromSeq;
        if (done % options.progressEvery() == 0) {
          progress.onProgress(
              new VerificationProgress.Progress(
                  product, fromSeq, toSeq, chain.expectedSeq() - 1, System.nanoTime() - started));
        }
      }
    }
    return Optional.empty();
  }

  private static void requireNotInterrupted(String product, long seq) {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException(
          "the verification of " + product + "'s audit log was stopped before seq " + seq);
    }
  }

  /**
   * Checks a signed head against the root over the stored chain hashes. A mismatch while every link
   * held means entries were rewritten with all later hashes recomputed: the chain cannot say which,
   * only that it lies after the last head that matched, so the head's last seq is reported with
   * that range.
   */
  private Optional<ChainBreak> checkHead(SignedTreeHead head, Hash root, long lastMatchedSize) {
    if (!TreeHeadSigner.verify(head, signer.publicKey())) {
      return Optional.of(
          new ChainBreak(
              head.treeSize() - 1,
              ChainBreak.Defect.TREE_HEAD_MISMATCH,
              "the stored head of size " + head.treeSize() + " does not carry a valid signature"));
    }
    if (!root.equals(head.rootHash())) {
      return Optional.of(
          new ChainBreak(
              head.treeSize() - 1,
              ChainBreak.Defect.TREE_HEAD_MISMATCH,
              "the entries up to seq "
                  + (head.treeSize() - 1)
                  + " have Merkle root "
                  + root
                  + ", but the head signed "
                  + head.timestamp()
                  + " says "
                  + head.rootHash()
                  + ": an entry between seq "
                  + lastMatchedSize
                  + " and "
                  + (head.treeSize() - 1)
                  + " was rewritten with every later hash recomputed"));
    }
    return Optional.empty();
  }

  /**
   * Reads the stored chain hashes before {@code fromSeq}, a page per transaction: the last one
   * anchors the chain, and all of them feed {@code tree} when heads are to be checked (they are
   * covered by those heads' roots).
   */
  private Hash prefix(String product, long fromSeq, @Nullable BackgroundRootAccumulator tree) {
    Hash[] last = {null};
    long page = options.verifyPageEntries();
    for (long pageFrom = tree == null ? fromSeq - 1 : 0; pageFrom < fromSeq; pageFrom += page) {
      requireNotInterrupted(product, pageFrom);
      long from = pageFrom;
      long to = Math.min(fromSeq - 1, pageFrom + page - 1);
      dsl.transaction(
          cfg ->
              new PostgresLogTables(cfg.dsl())
                  .hashes(
                      product,
                      from,
                      to,
                      (seq, previous, hash) -> {
                        last[0] = Hash.of(hash);
                        if (tree != null) {
                          tree.addLeaf(hash, 0);
                        }
                      }));
    }
    if (last[0] == null || (tree != null && tree.size() != fromSeq)) {
      throw new IllegalStateException(
          "the audit log of "
              + product
              + " has no complete prefix before seq "
              + fromSeq
              + "; verify from 0");
    }
    return last[0];
  }

  // --- Per-product state -----------------------------------------------------------------------

  private ProductState state(String product) {
    return products.computeIfAbsent(product, ProductState::new);
  }

  /**
   * A product's Merkle tree (loaded when first needed) and latest head. Appends and head signing
   * hold the lock; readers (proofs) never take it: the tree is published once loaded, and what a
   * reader adds to it goes in leaf by leaf under the tree's own lock.
   */
  private final class ProductState {
    /** Leaves read from the table per catch-up step of a reader. */
    private static final int READ_CATCH_UP_STEP = 10_000;

    private final String product;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicReference<@Nullable MerkleTree> tree = new AtomicReference<>();
    private @Nullable SignedTreeHead latestHead;
    private boolean headLoaded;

    ProductState(String product) {
      this.product = product;
    }

    <T> T locked(Function<MerkleTree, T> action) {
      loadedTree();
      lock.lock();
      try {
        return action.apply(caughtUpTree());
      } finally {
        lock.unlock();
      }
    }

    @Nullable SignedTreeHead latestHead() {
      if (!headLoaded) {
        latestHead = AuditLog.this.latestHead(product).orElse(null);
        headLoaded = true;
      }
      return latestHead;
    }

    long signedSize() {
      lock.lock();
      try {
        SignedTreeHead head = latestHead();
        return head == null ? 0 : head.treeSize();
      } finally {
        lock.unlock();
      }
    }

    void headStored(SignedTreeHead head) {
      if (latestHead == null || head.treeSize() > latestHead.treeSize()) {
        latestHead = head;
      }
      headLoaded = true;
    }

    /**
     * Brings a loaded tree up to date after an append: with the hashes just committed when they
     * follow on from the tree (the advisory lock made them the log's next entries), else from the
     * table.
     */
    void appended(AppendResult result, List<Hash> hashes) {
      if (result.appended() == 0) {
        return;
      }
      lock.lock();
      try {
        MerkleTree current = tree.get();
        if (current != null && current.size() >= result.firstSeq()) {
          // A proof may have read some of them from the table already.
          for (int i = 0; i < hashes.size(); i++) {
            current.appendLeafAt(result.firstSeq() + i, hashes.get(i));
          }
        } else if (current != null) {
          catchUp(current);
        }
      } finally {
        lock.unlock();
      }
    }

    /**
     * The tree, loaded from the table first if it is not yet: into a tree of its own, without the
     * lock, then published unless another thread published one first (appends committed meanwhile
     * are caught up later, since an append leaves an unloaded tree alone).
     */
    private MerkleTree loadedTree() {
      MerkleTree current = tree.get();
      if (current != null) {
        return current;
      }
      MerkleTree loaded = new MerkleTree();
      catchUp(loaded);
      return tree.compareAndExchange(null, loaded) instanceof MerkleTree other ? other : loaded;
    }

    /**
     * A tree of at least {@code size} leaves, for a proof under a stored head: the shared tree,
     * which appends here keep up to date. Only when another process appended the entries a head
     * covers are they read and added, each only if no append added it meanwhile; the product's lock
     * is not taken.
     *
     * @throws IllegalStateException if the table holds fewer entries than {@code size}
     */
    MerkleTree treeCovering(long size) {
      MerkleTree current = loadedTree();
      while (current.size() < size) {
        long from = current.size();
        List<Hash> stored = storedHashes(from, (int) Math.min(size - from, READ_CATCH_UP_STEP));
        if (stored.isEmpty()) {
          throw new IllegalStateException(
              "the audit log of "
                  + product
                  + " has "
                  + from
                  + " entries but a head was signed over "
                  + size
                  + ": entries were removed; verify the log");
        }
        for (int i = 0; i < stored.size(); i++) {
          current.appendLeafAt(from + i, stored.get(i));
        }
      }
      return current;
    }

    private MerkleTree caughtUpTree() {
      MerkleTree current = Objects.requireNonNull(tree.get(), "loaded before the lock is taken");
      catchUp(current);
      return current;
    }

    /** Up to {@code limit} chain hashes stored from {@code from} on, checking seqs and links. */
    private List<Hash> storedHashes(long from, int limit) {
      List<Hash> stored = new ArrayList<>();
      Hash[] previous = {from == 0 ? Hash.ZERO : null};
      dsl.transaction(
          cfg ->
              new PostgresLogTables(cfg.dsl())
                  .hashes(
                      product,
                      from,
                      from + limit - 1,
                      (seq, previousHash, hash) -> {
                        if (seq != from + stored.size()) {
                          throw new IllegalStateException(
                              "the audit log of "
                                  + product
                                  + " has no entry "
                                  + (from + stored.size())
                                  + "; verify the log");
                        }
                        if (previous[0] != null && !previous[0].equals(Hash.of(previousHash))) {
                          throw new IllegalStateException(
                              "entry "
                                  + seq
                                  + " of "
                                  + product
                                  + " does not link to entry "
                                  + (seq - 1)
                                  + "; verify the log");
                        }
                        Hash chainHash = Hash.of(hash);
                        stored.add(chainHash);
                        previous[0] = chainHash;
                      }));
      return stored;
    }

    /**
     * Adds the chain hashes stored since the tree was last brought up to date, checking links; a
     * leaf a proof added meanwhile is left as it is.
     */
    private void catchUp(MerkleTree current) {
      long from = current.size();
      Hash[] previous = {from == 0 ? Hash.ZERO : null};
      long[] expected = {from};
      dsl.transaction(
          cfg ->
              new PostgresLogTables(cfg.dsl())
                  .hashes(
                      product,
                      from,
                      Long.MAX_VALUE,
                      (seq, previousHash, hash) -> {
                        if (seq != expected[0]) {
                          throw new IllegalStateException(
                              "the audit log of "
                                  + product
                                  + " has no entry "
                                  + expected[0]
                                  + "; verify the log");
                        }
                        if (previous[0] != null && !previous[0].equals(Hash.of(previousHash))) {
                          throw new IllegalStateException(
                              "entry "
                                  + seq
                                  + " of "
                                  + product
                                  + " does not link to entry "
                                  + (seq - 1)
                                  + "; verify the log");
                        }
                        Hash chainHash = Hash.of(hash);
                        current.appendLeafAt(seq, chainHash);
                        previous[0] = chainHash;
                        expected[0]++;
                      }));
    }
  }

  /** Stops the head schedule. The database is left as it is. */
  @Override
  public void close() {
    if (schedule != null) {
      schedule.shutdownNow();
    }
  }
}
