package io.meshgate.audit.store;

import static io.meshgate.schema.jooq.audit.Tables.LOG_ENTRIES;
import static io.meshgate.schema.jooq.audit.Tables.TREE_HEADS;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.chain.EntryCodec;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import io.meshgate.audit.json.CanonicalJson;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.schema.jooq.audit.tables.records.LogEntriesRecord;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jooq.Condition;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep8;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.Record7;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the audit tables with jOOQ, within a transaction the caller owns. Knows the
 * mapping between rows and entries; knows nothing about when to append, sign or verify.
 */
final class PostgresLogTables {

  /** Rows fetched per round trip when streaming a log. */
  private static final int FETCH_SIZE = 2_000;

  private final DSLContext tx;

  PostgresLogTables(DSLContext tx) {
    this.tx = tx;
  }

  /** Serialises appenders of one product across every process writing to this database. */
  void lockProduct(String product) {
    tx.resultQuery("SELECT pg_advisory_xact_lock({0})", DSL.val(lockKey(product))).fetch();
  }

  /**
   * A stable 64-bit key per product, from its SHA-256 (hashtext() is not stable across versions).
   */
  private static long lockKey(String product) {
    byte[] digest =
        new Sha256().hash(("meshgate.audit/" + product).getBytes(StandardCharsets.UTF_8)).bytes();
    long key = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      key = (key << 8) | (digest[i] & 0xFF);
    }
    return key;
  }

  /** The seq and chain hash of the product's last entry, if it has any. */
  Optional<Record2<Long, byte[]>> last(String product) {
    return tx.select(LOG_ENTRIES.SEQ, LOG_ENTRIES.HASH)
        .from(LOG_ENTRIES)
        .where(LOG_ENTRIES.PRODUCT.eq(product))
        .orderBy(LOG_ENTRIES.SEQ.desc())
        .limit(1)
        .fetchOptional();
  }

  /**
   * The source positions already logged for the product with an LSN in {@code [fromLsn, toLsn]},
   * read from the hashed entries themselves: the indexed position columns only find candidates.
   */
  Set<SourceKey> positionsLogged(String product, long fromLsn, long toLsn) {
    Set<SourceKey> positions = new HashSet<>();
    tx.select(LOG_ENTRIES.ENTRY)
        .from(LOG_ENTRIES)
        .where(LOG_ENTRIES.PRODUCT.eq(product), LOG_ENTRIES.SOURCE_LSN.between(fromLsn, toLsn))
        .fetch()
        .forEach(row -> positions.add(SourceKey.of(EntryCodec.decode(row.value1()).change())));
    return positions;
  }

  /**
   * Inserts chained entries, {@code chunkSize} rows per statement: each row holds the entry's
   * canonical JSON, its hashes and its indexed source position.
   */
  void insert(List<ChainedEntry> entries, List<byte[]> canonicalEntries, int chunkSize) {
    for (int from = 0; from < entries.size(); from += chunkSize) {
      InsertValuesStep8<
              LogEntriesRecord, String, Long, byte[], byte[], byte[], Long, String, byte[]>
          insert =
              tx.insertInto(
                  LOG_ENTRIES,
                  LOG_ENTRIES.PRODUCT,
                  LOG_ENTRIES.SEQ,
                  LOG_ENTRIES.ENTRY,
                  LOG_ENTRIES.PREVIOUS_HASH,
                  LOG_ENTRIES.HASH,
                  LOG_ENTRIES.SOURCE_LSN,
                  LOG_ENTRIES.ENTITY,
                  LOG_ENTRIES.SOURCE_KEY);
      for (int i = from; i < Math.min(entries.size(), from + chunkSize); i++) {
        ChainedEntry chained = entries.get(i);
        ChangeEvent change = chained.entry().change();
        insert =
            insert.values(
                change.product(),
                chained.seq(),
                canonicalEntries.get(i),
                chained.previousHash().bytes(),
                chained.hash().bytes(),
                change.source().lsn(),
                change.entity(),
                CanonicalJson.encode(change.key()));
      }
      insert.execute();
    }
  }

  /** The stored entry at {@code seq}. */
  Optional<ChainedEntry> entry(String product, long seq) {
    return tx.select(LOG_ENTRIES.ENTRY, LOG_ENTRIES.PREVIOUS_HASH, LOG_ENTRIES.HASH)
        .from(LOG_ENTRIES)
        .where(LOG_ENTRIES.PRODUCT.eq(product), LOG_ENTRIES.SEQ.eq(seq))
        .fetchOptional()
        .map(
            row ->
                new ChainedEntry(
                    EntryCodec.decode(row.value1()), Hash.of(row.value2()), Hash.of(row.value3())));
  }

  /**
   * A page of entries by {@link EntryQuery}: candidates found through the position columns, kept
   * only when the decoded entry itself names the entity and key asked for.
   */
  List<ChainedEntry> entries(EntryQuery query) {
    List<Condition> conditions = new ArrayList<>();
    conditions.add(LOG_ENTRIES.PRODUCT.eq(query.product()));
    String entity = query.entity();
    ObjectNode key = query.key();
    @Nullable String canonicalKey = key == null ? null : CanonicalJson.encodeToString(key);
    if (entity != null) {
      conditions.add(LOG_ENTRIES.ENTITY.eq(entity));
    }
    if (key != null) {
      conditions.add(LOG_ENTRIES.SOURCE_KEY.eq(CanonicalJson.encode(key)));
    }
    Long after = query.afterSeq();
    if (after != null) {
      conditions.add(query.newestFirst() ? LOG_ENTRIES.SEQ.lt(after) : LOG_ENTRIES.SEQ.gt(after));
    }
    return tx
        .select(LOG_ENTRIES.ENTRY, LOG_ENTRIES.PREVIOUS_HASH, LOG_ENTRIES.HASH)
        .from(LOG_ENTRIES)
        .where(conditions)
        .orderBy(query.newestFirst() ? LOG_ENTRIES.SEQ.desc() : LOG_ENTRIES.SEQ.asc())
        .limit(query.limit())
        .fetch(
            row ->
                new ChainedEntry(
                    EntryCodec.decode(row.value1()), Hash.of(row.value2()), Hash.of(row.value3())))
        .stream()
        .filter(chained -> entity == null || chained.entry().change().entity().equals(entity))
        .filter(
            chained ->
                canonicalKey == null
                    || CanonicalJson.encodeToString(chained.entry().change().key())
                        .equals(canonicalKey))
        .toList();
  }

  /**
   * Streams, for the entries in {@code [fromSeq, toSeq]} in seq order: the seq, the stored previous
   * hash followed by the stored entry bytes in one array (exactly what the chain hash covers, so a
   * verifier hashes it in one pass), the stored chain hash, the length of the stored previous hash
   * (32 unless the row was tampered with), and the position columns (entity, source LSN, canonical
   * key) to check against what the entry says.
   */
  Cursor<Record7<Long, byte[], byte[], Integer, String, Long, byte[]>> storedEntries(
      String product, long fromSeq, long toSeq) {
    return tx.select(
            LOG_ENTRIES.SEQ,
            DSL.field("{0} || {1}", SQLDataType.BLOB, LOG_ENTRIES.PREVIOUS_HASH, LOG_ENTRIES.ENTRY),
            LOG_ENTRIES.HASH,
            DSL.field("octet_length({0})", SQLDataType.INTEGER, LOG_ENTRIES.PREVIOUS_HASH),
            LOG_ENTRIES.ENTITY,
            LOG_ENTRIES.SOURCE_LSN,
            LOG_ENTRIES.SOURCE_KEY)
        .from(LOG_ENTRIES)
        .where(LOG_ENTRIES.PRODUCT.eq(product), LOG_ENTRIES.SEQ.between(fromSeq, toSeq))
        .orderBy(LOG_ENTRIES.SEQ)
        .fetchSize(FETCH_SIZE)
        .fetchLazy();
  }

  /**
   * Streams the seq, previous hash and chain hash of entries from {@code fromSeq} on, in seq order.
   */
  void hashes(String product, long fromSeq, long toSeq, HashConsumer consumer) {
    try (Cursor<? extends Record> cursor =
        tx.select(LOG_ENTRIES.SEQ, LOG_ENTRIES.PREVIOUS_HASH, LOG_ENTRIES.HASH)
            .from(LOG_ENTRIES)
            .where(LOG_ENTRIES.PRODUCT.eq(product), LOG_ENTRIES.SEQ.between(fromSeq, toSeq))
            .orderBy(LOG_ENTRIES.SEQ)
            .fetchSize(FETCH_SIZE)
            .fetchLazy()) {
      for (Record row : cursor) {
        consumer.accept(
            row.get(LOG_ENTRIES.SEQ),
            row.get(LOG_ENTRIES.PREVIOUS_HASH),
            row.get(LOG_ENTRIES.HASH));
      }
    }
  }

  /** Receives one row of {@link #hashes}. */
  @FunctionalInterface
  interface HashConsumer {
    void accept(long seq, byte[] previousHash, byte[] hash);
  }

  /** Stores a signed head unless one of that size is stored already; returns the stored one. */
  SignedTreeHead storeHead(SignedTreeHead head) {
    tx.insertInto(TREE_HEADS)
        .set(TREE_HEADS.PRODUCT, head.product())
        .set(TREE_HEADS.TREE_SIZE, head.treeSize())
        .set(TREE_HEADS.ROOT_HASH, head.rootHash().bytes())
        .set(TREE_HEADS.SIGNED_AT, OffsetDateTime.ofInstant(head.timestamp(), ZoneOffset.UTC))
        .set(TREE_HEADS.SIGNATURE, head.signature())
        .onConflictDoNothing()
        .execute();
    return head(head.product(), head.treeSize()).orElseThrow();
  }

  /** The stored head of the product's tree at {@code treeSize}. */
  Optional<SignedTreeHead> head(String product, long treeSize) {
    return tx.selectFrom(TREE_HEADS)
        .where(TREE_HEADS.PRODUCT.eq(product), TREE_HEADS.TREE_SIZE.eq(treeSize))
        .fetchOptional()
        .map(PostgresLogTables::toHead);
  }

  /** The product's largest stored head. */
  Optional<SignedTreeHead> latestHead(String product) {
    return tx.selectFrom(TREE_HEADS)
        .where(TREE_HEADS.PRODUCT.eq(product))
        .orderBy(TREE_HEADS.TREE_SIZE.desc())
        .limit(1)
        .fetchOptional()
        .map(PostgresLogTables::toHead);
  }

  /** The product's stored heads with a size in {@code [fromSize, toSize]}, smallest first. */
  List<SignedTreeHead> heads(String product, long fromSize, long toSize) {
    return tx.selectFrom(TREE_HEADS)
        .where(TREE_HEADS.PRODUCT.eq(product), TREE_HEADS.TREE_SIZE.between(fromSize, toSize))
        .orderBy(TREE_HEADS.TREE_SIZE)
        .fetch(PostgresLogTables::toHead);
  }

  /**
   * At most {@code limit} of the product's stored heads of a size above {@code afterSize}, smallest
   * first.
   */
  List<SignedTreeHead> headsAfter(String product, long afterSize, int limit) {
    return tx.selectFrom(TREE_HEADS)
        .where(TREE_HEADS.PRODUCT.eq(product), TREE_HEADS.TREE_SIZE.gt(afterSize))
        .orderBy(TREE_HEADS.TREE_SIZE)
        .limit(limit)
        .fetch(PostgresLogTables::toHead);
  }

  /**
   * The sizes of the stored heads next below and next above {@code treeSize}, where there are such.
   */
  List<Long> headSizesAround(String product, long treeSize) {
    List<Long> sizes = new ArrayList<>(2);
    Long below =
        tx.select(DSL.max(TREE_HEADS.TREE_SIZE))
            .from(TREE_HEADS)
            .where(TREE_HEADS.PRODUCT.eq(product), TREE_HEADS.TREE_SIZE.lt(treeSize))
            .fetchOne(0, Long.class);
    Long above =
        tx.select(DSL.min(TREE_HEADS.TREE_SIZE))
            .from(TREE_HEADS)
            .where(TREE_HEADS.PRODUCT.eq(product), TREE_HEADS.TREE_SIZE.gt(treeSize))
            .fetchOne(0, Long.class);
    if (below != null) {
      sizes.add(below);
    }
    if (above != null) {
      sizes.add(above);
    }
    return sizes;
  }

  /** Every product with at least one entry, by a loose index scan over the primary key. */
  List<String> products() {
    return tx.resultQuery(
            """
            WITH RECURSIVE p(product) AS (
              (SELECT product FROM audit.log_entries ORDER BY product LIMIT 1)
              UNION ALL
              SELECT (SELECT e.product FROM audit.log_entries e WHERE e.product > p.product ORDER BY e.product LIMIT 1)
              FROM p WHERE p.product IS NOT NULL
            )
            SELECT product FROM p WHERE product IS NOT NULL\
            """)
        .fetch(row -> row.get(0, String.class));
  }

  private static SignedTreeHead toHead(Record row) {
    return new SignedTreeHead(
        row.get(TREE_HEADS.PRODUCT),
        row.get(TREE_HEADS.TREE_SIZE),
        Hash.of(row.get(TREE_HEADS.ROOT_HASH)),
        row.get(TREE_HEADS.SIGNED_AT).toInstant(),
        row.get(TREE_HEADS.SIGNATURE));
  }

  /** A source position as the unique constraint sees it: LSN, entity and the row's key. */
  record SourceKey(long lsn, String entity, String canonicalKey) {

    static SourceKey of(ChangeEvent change) {
      return new SourceKey(
          change.source().lsn(), change.entity(), CanonicalJson.encodeToString(change.key()));
    }
  }
}
