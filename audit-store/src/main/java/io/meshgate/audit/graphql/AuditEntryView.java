package io.meshgate.audit.graphql;

import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.json.CanonicalJson;
import org.jspecify.annotations.Nullable;

/**
 * GraphQL {@code AuditEntry}: a stored entry with its hashes; row images as canonical JSON text.
 */
public record AuditEntryView(
    String product,
    long seq,
    String op,
    String at,
    @Nullable String before,
    @Nullable String after,
    String lsn,
    @Nullable String txId,
    String hash,
    String previousHash,
    String entity,
    String key) {

  public static AuditEntryView of(ChainedEntry chained) {
    ChangeEvent change = chained.entry().change();
    Long txId = change.source().txId();
    return new AuditEntryView(
        change.product(),
        chained.seq(),
        change.op().name(),
        change.source().commitTime().toString(),
        change.before() == null ? null : CanonicalJson.encodeToString(change.before()),
        change.after() == null ? null : CanonicalJson.encodeToString(change.after()),
        Long.toString(change.source().lsn()),
        txId == null ? null : txId.toString(),
        chained.hash().hex(),
        chained.previousHash().hex(),
        change.entity(),
        CanonicalJson.encodeToString(change.key()));
  }
}
