package io.meshgate.audit.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.meshgate.audit.chain.ChainVerifier;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.chain.EntryCodec;
import io.meshgate.audit.chain.SampleEvents;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import io.meshgate.audit.json.CanonicalJson;
import io.meshgate.audit.merkle.BackgroundRootAccumulator;
import io.meshgate.audit.merkle.InclusionProof;
import io.meshgate.audit.merkle.MerkleTree;
import io.meshgate.audit.merkle.RootAccumulator;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.audit.store.AuditLog;
import io.meshgate.audit.store.AuditLogOptions;
import io.meshgate.audit.store.StoredRowVerifier;
import io.meshgate.audit.store.VerificationReport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ObjIntConsumer;
import org.HdrHistogram.Histogram;

/**
 * Measures the audit log on this machine, apart from the build (it never gates it):
 *
 * <ol>
 *   <li>sustained append throughput into PostgreSQL, batched, with durable commits;
 *   <li>full verification rate beside a raw SHA-256 loop over the very bytes the chain hashes, in
 *       the same run (the ceiling);
 *   <li>inclusion-proof latency (p50/p99) in a tree of ten million entries.
 * </ol>
 *
 * <p>Run with {@code mvn -o -B -ntp -pl audit-store -am -Paudit-bench test-compile}. Sizes can be
 * changed with {@code -Daudit.bench.append=}, {@code -Daudit.bench.batch=}, {@code
 * -Daudit.bench.verify=}, {@code -Daudit.bench.passes=}, {@code -Daudit.bench.warmups=} and {@code
 * -Daudit.bench.tree=} passed to the forked JVM through {@code -Daudit.bench.jvmArgs}.
 */
public final class AuditBenchmark {

  private static final String PRODUCT = "sales";

  private AuditBenchmark() {}

  public static void main(String[] args) throws Exception {
    int appendEntries = Integer.getInteger("audit.bench.append", 300_000);
    int batch = Integer.getInteger("audit.bench.batch", 2_000);
    int verifyEntries = Integer.getInteger("audit.bench.verify", 300_000);
    int treeLeaves = Integer.getInteger("audit.bench.tree", 10_000_000);
    int passes = Integer.getInteger("audit.bench.passes", 5);
    print(
        "Audit benchmark: %d cores, JVM %s, max heap %d MB",
        Runtime.getRuntime().availableProcessors(),
        Runtime.version(),
        Runtime.getRuntime().maxMemory() >> 20);

    verificationAgainstRawSha256(verifyEntries, passes);
    inclusionProofs(treeLeaves);
    appendIntoPostgres(appendEntries, batch);
  }

  // --- 1. Append ---------------------------------------------------------------------------------

  private static void appendIntoPostgres(int entries, int batch) throws Exception {
    print(
        "%n== Append into PostgreSQL: %,d entries in batches of %,d (fsync on, synchronous_commit"
            + " on) ==",
        entries, batch);
    Path work = Files.createTempDirectory("audit-bench");
    try (EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("shared_buffers", "256MB")
            .setServerConfig("max_wal_size", "2GB")
            .start()) {
      AuditLogOptions options = AuditLogOptions.builder().headInterval(Duration.ZERO).build();
      HikariConfig pool = new HikariConfig();
      pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
      pool.setUsername("postgres");
      pool.setMaximumPoolSize(4);
      try (HikariDataSource dataSource = new HikariDataSource(pool);
          AuditLog auditLog =
              AuditLog.open(dataSource, SigningKeys.loadOrCreate(work.resolve("keys")), options)) {
        Random random = new Random(1);
        List<ChangeEvent> events = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
          events.add(SampleEvents.customerChange(PRODUCT, i, random));
        }
        int warmup = Math.min(entries / 10, 20_000);
        for (int from = 0; from < warmup; from += batch) {
          auditLog.append(PRODUCT, events.subList(from, Math.min(warmup, from + batch)));
        }
        long started = System.nanoTime();
        long lastReport = started;
        for (int from = warmup; from < entries; from += batch) {
          auditLog.append(PRODUCT, events.subList(from, Math.min(entries, from + batch)));
          long now = System.nanoTime();
          if (now - lastReport > 5_000_000_000L) {
            print(
                "  ... %,d entries, %,.0f entries/s so far",
                from + batch - warmup, (from + batch - warmup) / seconds(now - started));
            lastReport = now;
          }
        }
        double elapsed = seconds(System.nanoTime() - started);
        print(
            "append: %,d entries in %.1f s = %,.0f entries/s sustained (after %,d warm-up entries)",
            entries - warmup, elapsed, (entries - warmup) / elapsed, warmup);

        long verifyStarted = System.nanoTime();
        VerificationReport report =
            auditLog.verify(
                PRODUCT,
                progress ->
                    print(
                        "  ... verified through seq %,d (%.0f%%)",
                        progress.verifiedThrough(), 100 * progress.fractionDone()));
        double verifySeconds = seconds(System.nanoTime() - verifyStarted);
        print(
            "verification from PostgreSQL (rows streamed, chain and signed heads recomputed): %,d"
                + " entries in %.1f s = %,.0f entries/s: %s",
            entries, verifySeconds, entries / verifySeconds, report.getClass().getSimpleName());

        Histogram proofs = new Histogram(3);
        auditLog.signHead(
            PRODUCT); // proofs are under a stored head, and the last batch may not have signed one
        for (int i = 0; i < 500; i++) {
          auditLog.proveInclusion(
              PRODUCT, ThreadLocalRandom.current().nextLong(entries)); // warm-up
        }
        for (int i = 0; i < 2_000; i++) {
          long seq = ThreadLocalRandom.current().nextLong(entries);
          long t = System.nanoTime();
          auditLog.proveInclusion(PRODUCT, seq);
          proofs.recordValue(System.nanoTime() - t);
        }
        print(
            "AuditLog.proveInclusion at %,d entries (in-memory tree, plus one PostgreSQL round trip"
                + " for the entry row): p50 %.3f ms, p99 %.3f ms",
            entries, proofs.getValueAtPercentile(50) / 1e6, proofs.getValueAtPercentile(99) / 1e6);
      }
    }
  }

  // --- 2. Verification against the raw SHA-256 ceiling -------------------------------------------

  private static void verificationAgainstRawSha256(int entries, int passes) throws Exception {
    // Early passes run partly in code not yet fully compiled: they are warm-up, not measured.
    int warmUps = Integer.getInteger("audit.bench.warmups", 3);
    print(
        "%n== Verification beside raw SHA-256 over the same bytes: %,d entries, %d passes after %d"
            + " warm-up passes ==",
        entries, passes, warmUps);
    print("load average before: %s", loadAverage());
    List<ChainedEntry> log = SampleEvents.chainedLog(PRODUCT, entries, 7);
    // What a stored row holds as AuditLog.verify selects it: previous_hash || entry in one array
    // (exactly the bytes its chain hash covers) and the stored 32-byte chain hash. The raw loop
    // hashes the very same arrays.
    byte[][] hashedBytes = new byte[entries][];
    byte[][] hashes = new byte[entries][];
    // ... and its position columns, checked against the entry too
    String[] entities = new String[entries];
    long[] lsns = new long[entries];
    byte[][] keys = new byte[entries][];
    long totalBytes = 0;
    for (int i = 0; i < entries; i++) {
      byte[] canonical = EntryCodec.encode(log.get(i).entry());
      byte[] bytes = new byte[Hash.LENGTH + canonical.length];
      log.get(i).previousHash().copyTo(bytes, 0);
      System.arraycopy(canonical, 0, bytes, Hash.LENGTH, canonical.length);
      hashedBytes[i] = bytes;
      hashes[i] = log.get(i).hash().bytes();
      ChangeEvent change = log.get(i).entry().change();
      entities[i] = change.entity();
      lsns[i] = change.source().lsn();
      keys[i] = CanonicalJson.encode(change.key());
      totalBytes += bytes.length;
    }
    Rows rows = new Rows(hashedBytes, hashes, entities, lsns, keys);
    print(
        "average entry: %d bytes hashed (previous hash + canonical JSON), %.2f SHA-256 blocks",
        totalBytes / entries, blocks(hashedBytes) / (double) entries);
    print(
        "ceiling: one SHA-256 per entry over those bytes, into a reused buffer (no allocation), one"
            + " thread");

    // The machine is shared: the loops take turns over chunks of the same entries, in an order that
    // rotates from chunk to chunk, so that any slowdown from outside and any cache warmed by the
    // loop
    // before falls on all of them alike.
    int chunk = 5_000;
    double[] storedRatios = new double[passes];
    double[] storedRates = new double[passes];
    double[] rawRates = new double[passes];
    double[] twoThreadRatios = new double[passes];
    double[] twoThreadRates = new double[passes];
    double[] storedChunkMedians = new double[passes];
    double[] chainOnlyRatios = new double[passes];
    double[] chainOnlyChunkMedians = new double[passes];
    double[] twoThreadChunkMedians = new double[passes];
    for (int run = 0; run < warmUps + passes; run++) {
      int pass = run < warmUps ? 0 : run - warmUps + 1;
      MessageDigest raw = MessageDigest.getInstance("SHA-256");
      byte[] rawOut = new byte[Hash.LENGTH];
      StoredRowVerifier stored = new StoredRowVerifier(PRODUCT, 0, Hash.ZERO);
      RootAccumulator storedTree = new RootAccumulator();
      byte[] leaf = new byte[Hash.LENGTH];
      ChainVerifier chainOnly = ChainVerifier.fromStart(PRODUCT);
      RootAccumulator chainOnlyTree = new RootAccumulator();
      long chainOnlyNanos = 0;
      ChainVerifier values = ChainVerifier.fromStart(PRODUCT);
      RootAccumulator valuesTree = new RootAccumulator();
      long rawNanos = 0;
      long storedNanos = 0;
      long valuesNanos = 0;
      long twoThreadNanos = 0;
      int chunks = (entries + chunk - 1) / chunk;
      double[] storedChunkRatios = new double[chunks];
      double[] twoThreadChunkRatios = new double[chunks];
      double[] chainOnlyChunkRatios = new double[chunks];
      int sink = 0;
      StoredRowVerifier pipelined = new StoredRowVerifier(PRODUCT, 0, Hash.ZERO);
      BackgroundRootAccumulator pipelinedTree = new BackgroundRootAccumulator(new long[] {entries});
      for (int from = 0, turn = 0; from < entries; from += chunk, turn++) {
        int to = Math.min(entries, from + chunk);
        long[] nanos = new long[5];
        for (int step = 0; step < 5; step++) {
          long t0 = System.nanoTime();
          // Each loop is a method of its own, compiled on its own: a loop inside this long method
          // was compiled on the fly (on-stack replacement) with inlining that changed from run to
          // run, and with it the ratios.
          switch ((turn + step) % 5) {
            case 0 -> {
              sink += rawChunk(raw, rawOut, hashedBytes, from, to);
              rawNanos += System.nanoTime() - t0;
            }
            case 1 -> {
              rowsChunk(stored, storedTree::addLeaf, leaf, rows, from, to);
              storedNanos += System.nanoTime() - t0;
            }
            case 2 -> {
              // AuditLog.verify as it runs: the rows here, the tree on a second thread. The
              // chunk's time ends once that thread has hashed every leaf of the chunk.
              rowsChunk(pipelined, pipelinedTree::addLeaf, leaf, rows, from, to);
              pipelinedTree.awaitHashed();
              twoThreadNanos += System.nanoTime() - t0;
            }
            case 3 -> {
              // The chain and the tree alone: what the position-column check adds is the
              // difference from case 1.
              chainChunk(chainOnly, chainOnlyTree, leaf, rows, from, to);
              chainOnlyNanos += System.nanoTime() - t0;
            }
            default -> {
              valuesChunk(values, valuesTree, log, from, to);
              valuesNanos += System.nanoTime() - t0;
            }
          }
          nanos[(turn + step) % 5] = System.nanoTime() - t0;
        }
        storedChunkRatios[turn] = (double) nanos[0] / nanos[1];
        twoThreadChunkRatios[turn] = (double) nanos[0] / nanos[2];
        chainOnlyChunkRatios[turn] = (double) nanos[0] / nanos[3];
      }
      List<Hash> pipelinedRoot = pipelinedTree.finish();
      if (!storedTree.root().equals(valuesTree.root())
          || !pipelinedRoot.equals(List.of(storedTree.root()))
          || !chainOnlyTree.root().equals(storedTree.root())) {
        throw new IllegalStateException("the verifications disagree on the root");
      }
      blackhole(sink + storedTree.root().hashCode());
      double rawRate = entries / seconds(rawNanos);
      double chainOnlyRate = entries / seconds(chainOnlyNanos);
      double storedRate = entries / seconds(storedNanos);
      double valuesRate = entries / seconds(valuesNanos);
      double twoThreadRate = entries / seconds(twoThreadNanos);
      String label = pass == 0 ? "warm-up " + (run + 1) : "pass " + pass;
      print(
          "  %s: raw SHA-256 (1 thread) %,.0f entries/s (%,.0f MB/s); chain and tree (1 thread)"
              + " %,.0f entries/s = %.1f%% of raw; plus position columns, 1 thread %,.0f entries/s"
              + " = %.1f%%, 2 threads (tree beside chain) %,.0f entries/s = %.1f%%; re-encoding"
              + " values first (1 thread) %,.0f entries/s = %.0f%%",
          label,
          rawRate,
          rawRate * totalBytes / entries / 1e6,
          chainOnlyRate,
          100 * chainOnlyRate / rawRate,
          storedRate,
          100 * storedRate / rawRate,
          twoThreadRate,
          100 * twoThreadRate / rawRate,
          valuesRate,
          100 * valuesRate / rawRate);
      print(
          "    median over the %d chunks of the ratio within each chunk (the loops ran back to back"
              + " on the same entries): chain and tree %.1f%%; plus position columns, 1 thread"
              + " %.1f%%, 2 threads %.1f%%",
          chunks,
          100 * median(chainOnlyChunkRatios),
          100 * median(storedChunkRatios),
          100 * median(twoThreadChunkRatios));
      if (pass > 0) {
        chainOnlyRatios[pass - 1] = chainOnlyRate / rawRate;
        chainOnlyChunkMedians[pass - 1] = median(chainOnlyChunkRatios);
        storedChunkMedians[pass - 1] = median(storedChunkRatios);
        twoThreadChunkMedians[pass - 1] = median(twoThreadChunkRatios);
        twoThreadRatios[pass - 1] = twoThreadRate / rawRate;
        twoThreadRates[pass - 1] = twoThreadRate;
        storedRatios[pass - 1] = storedRate / rawRate;
        storedRates[pass - 1] = storedRate;
        rawRates[pass - 1] = rawRate;
      }
    }
    print(
        "full verification = per stored row (previous_hash || entry, hash): seq and product checked"
            + " in the entry's tail, previous-hash link, SHA-256 chain hash over the stored bytes,"
            + " RFC 9162 leaf hash and tree nodes; AuditLog.verify also checks each row's"
            + " entity/LSN/key columns against the entry (\"plus position columns\")");
    print(
        "median of %d passes: raw SHA-256 (1 thread) %,.0f entries/s; full verification (chain and"
            + " tree, 1 thread) %.1f%% of raw (passes %s); plus position columns on 1 thread %,.0f"
            + " entries/s = %.1f%% (passes %s), on 2 threads as AuditLog.verify runs it %,.0f"
            + " entries/s = %.1f%% of the 1-thread raw loop (passes %s)",
        passes,
        median(rawRates),
        100 * median(chainOnlyRatios),
        percents(chainOnlyRatios),
        median(storedRates),
        100 * median(storedRatios),
        percents(storedRatios),
        median(twoThreadRates),
        100 * median(twoThreadRatios),
        percents(twoThreadRatios));
    print(
        "median of %d passes of the per-chunk median ratio (robust to bursts of load from outside):"
            + " chain and tree %.1f%% (passes %s); plus position columns, 1 thread %.1f%% (passes"
            + " %s), 2 threads %.1f%% (passes %s)",
        passes,
        100 * median(chainOnlyChunkMedians),
        percents(chainOnlyChunkMedians),
        100 * median(storedChunkMedians),
        percents(storedChunkMedians),
        100 * median(twoThreadChunkMedians),
        percents(twoThreadChunkMedians));
    print("load average after: %s", loadAverage());
  }

  /** The stored rows of the benchmark log, as AuditLog.verify selects them. */
  private record Rows(
      byte[][] linked, byte[][] hashes, String[] entities, long[] lsns, byte[][] keys) {}

  private static int rawChunk(MessageDigest raw, byte[] out, byte[][] hashedBytes, int from, int to)
      throws Exception {
    int sink = 0;
    for (int i = from; i < to; i++) {
      raw.update(hashedBytes[i]);
      raw.digest(out, 0, Hash.LENGTH);
      sink += out[0];
    }
    return sink;
  }

  /**
   * Verifies rows {@code [from, to)}, handing each accepted chain hash to {@code tree} (in memory
   * or on its own thread).
   */
  private static void rowsChunk(
      StoredRowVerifier verifier,
      ObjIntConsumer<byte[]> tree,
      byte[] leaf,
      Rows rows,
      int from,
      int to) {
    for (int i = from; i < to; i++) {
      if (verifier
          .accept(
              i,
              rows.linked()[i],
              rows.hashes()[i],
              Hash.LENGTH,
              rows.entities()[i],
              rows.lsns()[i],
              rows.keys()[i])
          .isPresent()) {
        throw new IllegalStateException("benchmark log does not verify: " + verifier.broken());
      }
      verifier.copyLastHash(leaf, 0);
      tree.accept(leaf, 0);
    }
  }

  private static void chainChunk(
      ChainVerifier verifier, RootAccumulator tree, byte[] leaf, Rows rows, int from, int to) {
    for (int i = from; i < to; i++) {
      if (verifier.acceptLinked(i, rows.linked()[i], rows.hashes()[i]).isPresent()) {
        throw new IllegalStateException("benchmark log does not verify: " + verifier.broken());
      }
      verifier.copyLastHash(leaf, 0);
      tree.addLeaf(leaf, 0);
    }
  }

  private static void valuesChunk(
      ChainVerifier verifier, RootAccumulator tree, List<ChainedEntry> log, int from, int to) {
    for (int i = from; i < to; i++) {
      if (verifier.accept(log.get(i)).isPresent()) {
        throw new IllegalStateException("benchmark log does not verify: " + verifier.broken());
      }
      tree.addLeaf(verifier.lastHash());
    }
  }

  /** SHA-256 compression-function calls for all the given messages (with padding). */
  private static long blocks(byte[][] messages) {
    long blocks = 0;
    for (byte[] message : messages) {
      blocks += (message.length + 9 + 63) / 64;
    }
    return blocks;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String percents(double[] ratios) {
    StringBuilder text = new StringBuilder();
    for (double ratio : ratios) {
      text.append(text.isEmpty() ? "" : ", ")
          .append(String.format(Locale.ROOT, "%.1f%%", 100 * ratio));
    }
    return text.toString();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return String.format(
          Locale.ROOT,
          "%.2f (1 min)",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }

  // --- 3. Inclusion proofs at ten million entries
  // -------------------------------------------------

  private static void inclusionProofs(int leaves) {
    print("%n== Inclusion proofs in a tree of %,d entries ==", leaves);
    MerkleTree tree = new MerkleTree();
    Sha256 sha256 = new Sha256();
    byte[] counter = new byte[8];
    long started = System.nanoTime();
    for (int i = 0; i < leaves; i++) {
      for (int b = 0; b < 8; b++) {
        counter[b] = (byte) ((long) i >>> (8 * b));
      }
      tree.appendLeaf(sha256.hash(counter));
      if ((i + 1) % 2_000_000 == 0) {
        print("  ... %,d leaves", i + 1);
      }
    }
    print(
        "built in %.1f s (%,.0f leaves/s), heap in use %d MB",
        seconds(System.nanoTime() - started),
        leaves / seconds(System.nanoTime() - started),
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    Hash root = tree.root();
    Histogram prove = new Histogram(3);
    Histogram verify = new Histogram(3);
    int maxPath = 0;
    for (int i = 0; i < 120_000; i++) {
      long index = ThreadLocalRandom.current().nextLong(leaves);
      long t0 = System.nanoTime();
      InclusionProof proof = tree.inclusionProof(index, leaves);
      long t1 = System.nanoTime();
      boolean valid = proof.verify(tree.leafHash(index), root);
      long t2 = System.nanoTime();
      if (!valid) {
        throw new IllegalStateException("proof of leaf " + index + " does not verify");
      }
      if (i >= 20_000) { // the first ones warm the JIT
        prove.recordValue(t1 - t0);
        verify.recordValue(t2 - t1);
      }
      maxPath = Math.max(maxPath, proof.path().size());
    }
    print(
        "inclusion proof at %,d entries: p50 %.1f us, p99 %.1f us, max %.1f us; path of at most %d"
            + " hashes (%d bytes)",
        leaves,
        prove.getValueAtPercentile(50) / 1e3,
        prove.getValueAtPercentile(99) / 1e3,
        prove.getMaxValue() / 1e3,
        maxPath,
        maxPath * 32);
    print(
        "verifying one: p50 %.1f us, p99 %.1f us",
        verify.getValueAtPercentile(50) / 1e3, verify.getValueAtPercentile(99) / 1e3);
  }

  private static volatile int sinkField;

  private static void blackhole(int value) {
    sinkField += value;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static void print(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
