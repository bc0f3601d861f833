package io.meshgate.audit.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.graphql.AuditResults.AuditedRecord;
import io.meshgate.audit.graphql.AuditResults.Connection;
import io.meshgate.audit.graphql.AuditResults.ConsistencyProof;
import io.meshgate.audit.graphql.AuditResults.Edge;
import io.meshgate.audit.graphql.AuditResults.InclusionProof;
import io.meshgate.audit.graphql.AuditResults.Lineage;
import io.meshgate.audit.graphql.AuditResults.PageInfo;
import io.meshgate.audit.graphql.AuditResults.Verification;
import io.meshgate.audit.graphql.ProductContracts.ProductEntity;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.job.VerificationJobs;
import io.meshgate.audit.json.CanonicalJson;
import io.meshgate.audit.proof.EntryInclusion;
import io.meshgate.audit.proof.HeadConsistency;
import io.meshgate.audit.proof.ProofJson;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.audit.store.AuditLog;
import io.meshgate.audit.store.EntryQuery;
import io.meshgate.audit.store.VerificationProgress;
import io.meshgate.audit.store.VerificationReport;
import io.meshgate.runtime.subgraph.InvalidInputException;
import io.meshgate.runtime.subgraph.Paging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * The audit subgraph's queries and its one mutation, which starts a verification job. Every
 * argument is checked first: an unknown product, a seq or size outside the log, a size with no
 * stored head, or a cursor this field did not hand out is a GraphQL error naming the argument. No
 * query writes: heads are signed as the log grows, never to answer a query.
 */
@Controller
public class AuditQueries {

  /** Error code of a synchronous verification that would read more than the limit. */
  public static final String VERIFICATION_TOO_LARGE = "VERIFICATION_TOO_LARGE";

  private static final Pattern ENTITY = Pattern.compile("[a-z][a-z0-9_]*");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AuditLog auditLog;
  private final ProductContracts contracts;
  private final SigningKeys keys;
  private final String keyId;
  private final VerificationJobs jobs;
  private final AuditQueryLimits limits;

  public AuditQueries(
      AuditLog auditLog,
      ProductContracts contracts,
      SigningKeys keys,
      VerificationJobs jobs,
      AuditQueryLimits limits) {
    this.auditLog = auditLog;
    this.contracts = contracts;
    this.keys = keys;
    this.keyId = SigningKeys.keyId(keys.publicKey());
    this.jobs = jobs;
    this.limits = limits;
  }

  @QueryMapping
  public Connection auditLog(
      @Argument String product,
      @Argument @Nullable String entity,
      @Argument @Nullable String key,
      @Argument int first,
      @Argument @Nullable String after) {
    requireKnown(product);
    String checkedEntity = entity == null ? null : requireEntity(product, entity, "entity");
    if (key != null && checkedEntity == null) {
      throw new InvalidInputException(
          "key", "a key selects a row of one entity: give 'entity' too");
    }
    ObjectNode checkedKey = key == null ? null : parseKey(key, "key");
    int limit = Paging.first(first);
    Long afterSeq = after == null ? null : decodeCursor(product, after);
    List<ChainedEntry> page =
        auditLog.entries(
            new EntryQuery(product, checkedEntity, checkedKey, afterSeq, limit + 1, false));
    List<Edge> edges =
        page.stream()
            .limit(limit)
            .map(chained -> new Edge(cursor(product, chained.seq()), AuditEntryView.of(chained)))
            .toList();
    String endCursor = edges.isEmpty() ? after : edges.getLast().cursor();
    return new Connection(edges, new PageInfo(endCursor, page.size() > limit));
  }

  /**
   * Verifies within the request, only as far as {@link AuditQueryLimits#syncVerifyMaxRows()} rows:
   * a request must not be able to keep a thread and a connection busy for as long as a log is
   * large.
   */
  @QueryMapping
  public Verification auditVerify(
      @Argument String product, @Argument @Nullable Long fromSeq, @Argument @Nullable Long toSeq) {
    requireKnown(product);
    boolean whole = fromSeq == null && toSeq == null;
    long size = auditLog.size(product);
    long from = fromSeq == null ? 0 : fromSeq;
    long to = whole ? auditLog.wholeLogSize(product) - 1 : toSeq == null ? size - 1 : toSeq;
    if (!whole) {
      if (from < 0 || from > size) {
        throw new InvalidInputException(
            "fromSeq", "must be between 0 and " + size + " (the log's size), got " + from);
      }
      if (to >= size) {
        throw new InvalidInputException(
            "toSeq", "must be below " + size + " (the log's size), got " + to);
      }
      if (to < from - 1) {
        throw new InvalidInputException(
            "toSeq", "must not be below fromSeq - 1 (" + (from - 1) + "), got " + to);
      }
    }
    long rows = auditLog.rowsToVerify(product, from, to);
    if (rows > limits.syncVerifyMaxRows()) {
      throw new InvalidInputException(
          whole ? "product" : "toSeq",
          "verifying "
              + (whole ? "the whole log" : "seq " + from + " to " + to)
              + " of "
              + product
              + " reads "
              + rows
              + " rows, more than the "
              + limits.syncVerifyMaxRows()
              + " a request may: start a background job with startAuditVerification(product: \""
              + product
              + "\") and poll auditVerificationJob, or verify a smaller range",
          VERIFICATION_TOO_LARGE);
    }
    VerificationReport report = auditLog.verify(product, from, to, VerificationProgress.NONE);
    return switch (report) {
      case VerificationReport.Valid valid ->
          new Verification(
              product,
              true,
              valid.fromSeq(),
              valid.toSeq(),
              valid.toSeq() - valid.fromSeq() + 1,
              valid.headsChecked(),
              null,
              null,
              null);
      case VerificationReport.Invalid invalid ->
          new Verification(
              product,
              false,
              from,
              to,
              Math.max(0, invalid.seq() - from),
              0,
              invalid.seq(),
              invalid.firstBad().defect().name(),
              invalid.firstBad().detail());
    };
  }

  /** Starts (or returns the product's active) background verification of its whole log. */
  @MutationMapping
  public VerificationJobView startAuditVerification(@Argument String product) {
    requireKnown(product);
    return VerificationJobView.of(jobs.start(product).job());
  }

  @QueryMapping
  public VerificationJobView auditVerificationJob(@Argument String id) {
    return jobs.job(id)
        .map(VerificationJobView::of)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "id",
                    "no verification job '"
                        + id
                        + "' (jobs are kept while active and among the last "
                        + VerificationJobs.FINISHED_KEPT_PER_PRODUCT
                        + " finished of their product, until the service restarts)",
                    "NOT_FOUND"));
  }

  @QueryMapping
  public List<VerificationJobView> auditVerificationJobs(@Argument String product) {
    requireKnown(product);
    return jobs.jobs(product).stream().map(VerificationJobView::of).toList();
  }

  /**
   * Proof under the latest stored head; an entry no head covers yet is refused rather than a head
   * signed for it.
   */
  @QueryMapping
  public InclusionProof auditProof(@Argument String product, @Argument long seq) {
    requireKnown(product);
    long size = auditLog.size(product);
    if (seq < 0 || seq >= size) {
      throw new InvalidInputException(
          "seq",
          size == 0
              ? "the audit log of " + product + " has no entries yet"
              : "must be between 0 and " + (size - 1) + " for " + product + ", got " + seq);
    }
    long covered = auditLog.latestHead(product).map(SignedTreeHead::treeSize).orElse(0L);
    if (seq >= covered) {
      throw new InvalidInputException(
          "seq",
          "entry "
              + seq
              + " of "
              + product
              + " is not covered by a signed head yet ("
              + (covered == 0 ? "none is signed" : "the latest covers seq 0 to " + (covered - 1))
              + "); heads are signed as the log grows, ask again after the next one");
    }
    EntryInclusion proof = auditLog.proveInclusion(product, seq);
    ChainedEntry chained = auditLog.entry(product, seq).orElseThrow();
    return new InclusionProof(
        AuditEntryView.of(chained),
        proof.inclusion().leafIndex(),
        proof.inclusion().treeSize(),
        proof.inclusion().path().stream().map(Hash::hex).toList(),
        SignedTreeHeadView.of(proof.head(), keyId),
        ProofJson.toText(proof));
  }

  /**
   * Proof between two stored heads ({@code newSize} defaults to the latest): a query never signs or
   * stores a head, so a size with no head is refused, naming the nearest sizes that have one.
   */
  @QueryMapping
  public ConsistencyProof auditConsistency(
      @Argument String product, @Argument long oldSize, @Argument @Nullable Long newSize) {
    requireKnown(product);
    SignedTreeHead latest =
        auditLog
            .latestHead(product)
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "product", "the audit log of " + product + " has no signed head yet"));
    long toSize = newSize == null ? latest.treeSize() : newSize;
    if (oldSize < 0) {
      throw new InvalidInputException("oldSize", "must be >= 0, got " + oldSize);
    }
    if (oldSize > toSize) {
      throw new InvalidInputException(
          "oldSize", "must not exceed newSize (" + toSize + "), got " + oldSize);
    }
    requireHead(product, toSize, "newSize");
    requireHead(product, oldSize, "oldSize");
    HeadConsistency proof = auditLog.proveConsistency(product, oldSize, toSize);
    return new ConsistencyProof(
        oldSize,
        toSize,
        proof.consistency().path().stream().map(Hash::hex).toList(),
        SignedTreeHeadView.of(proof.first(), keyId),
        SignedTreeHeadView.of(proof.second(), keyId),
        ProofJson.toText(proof));
  }

  private void requireHead(String product, long size, String argument) {
    if (auditLog.head(product, size).isPresent()) {
      return;
    }
    List<Long> nearest = auditLog.headSizesAround(product, size);
    throw new InvalidInputException(
        argument,
        "no signed head of "
            + product
            + "'s audit log has size "
            + size
            + " (the nearest: "
            + String.join(" and ", nearest.stream().map(String::valueOf).toList())
            + "; auditHeadHistory lists them)");
  }

  /** The product's stored heads, smallest first: the sizes auditConsistency can prove between. */
  @QueryMapping
  public List<SignedTreeHeadView> auditHeadHistory(
      @Argument String product, @Argument int first, @Argument @Nullable Long afterSize) {
    requireKnown(product);
    int limit = Paging.first(first);
    if (afterSize != null && afterSize < 0) {
      throw new InvalidInputException("afterSize", "must be >= 0, got " + afterSize);
    }
    return auditLog.heads(product, afterSize == null ? -1 : afterSize, limit).stream()
        .map(head -> SignedTreeHeadView.of(head, keyId))
        .toList();
  }

  @QueryMapping
  public List<SignedTreeHeadView> auditHeads() {
    List<SignedTreeHeadView> heads = new ArrayList<>();
    for (String product : auditLog.products()) {
      auditLog.latestHead(product).ifPresent(head -> heads.add(SignedTreeHeadView.of(head, keyId)));
    }
    return heads;
  }

  @QueryMapping
  public String auditPublicKey() {
    return keys.publicKeyPem();
  }

  @QueryMapping
  public Lineage auditLineage(
      @Argument String product, @Argument String entity, @Argument String key) {
    requireKnown(product);
    String checkedEntity = requireEntity(product, entity, "entity");
    ObjectNode checkedKey = parseKey(key, "key");
    List<ChainedEntry> changes = all(product, checkedEntity, checkedKey);
    List<AuditEntryView> causes = new ArrayList<>();
    for (LineageRules.Upstream upstream :
        LineageRules.upstreamOf(product, checkedEntity, changes)) {
      all(upstream.product(), upstream.entity(), upstream.key()).stream()
          .map(AuditEntryView::of)
          .forEach(causes::add);
    }
    causes.sort(
        Comparator.comparing(AuditEntryView::product).thenComparingLong(AuditEntryView::seq));
    return new Lineage(
        product,
        checkedEntity,
        CanonicalJson.encodeToString(checkedKey),
        changes.stream().map(AuditEntryView::of).toList(),
        causes);
  }

  /** One row's entries, oldest first, at most a page's worth. */
  private List<ChainedEntry> all(String product, String entity, ObjectNode key) {
    return auditLog.entries(new EntryQuery(product, entity, key, null, Paging.MAX_PAGE, false));
  }

  /** Entries of a product record resolved through federation, newest first. */
  List<AuditEntryView> history(AuditedRecord record, ProductEntity entity, int first) {
    int limit = Paging.first(first);
    ObjectNode key = JsonNodeFactory.instance.objectNode().put("id", record.id());
    return auditLog
        .entries(new EntryQuery(entity.product(), entity.entity(), key, null, limit, true))
        .stream()
        .map(AuditEntryView::of)
        .toList();
  }

  private void requireKnown(String product) {
    if (contracts.products().contains(product)) {
      return;
    }
    Set<String> known = new TreeSet<>(contracts.products());
    List<String> logged = auditLog.products();
    if (logged.contains(product)) {
      return;
    }
    known.addAll(logged);
    throw new InvalidInputException(
        "product",
        "unknown product '" + product + "' (known: " + String.join(", ", known) + ")",
        "NOT_FOUND");
  }

  private String requireEntity(String product, String entity, String argument) {
    if (!ENTITY.matcher(entity).matches()) {
      throw new InvalidInputException(
          argument, "'" + entity + "' is not an entity name (" + ENTITY.pattern() + ")");
    }
    List<ProductEntity> declared = contracts.entities(product);
    if (!declared.isEmpty() && declared.stream().noneMatch(e -> e.entity().equals(entity))) {
      throw new InvalidInputException(
          argument,
          product
              + " has no entity '"
              + entity
              + "' (it has "
              + String.join(", ", declared.stream().map(ProductEntity::entity).toList())
              + ")",
          "NOT_FOUND");
    }
    return entity;
  }

  /** A key as JSON ({@code {"id":"..."}}), or the bare value of an {@code id} key. */
  private static ObjectNode parseKey(String key, String argument) {
    String text = key.trim();
    if (!text.startsWith("{")) {
      if (text.isEmpty()) {
        throw new InvalidInputException(argument, "must not be empty");
      }
      return JsonNodeFactory.instance.objectNode().put("id", text);
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node instanceof ObjectNode object && !object.isEmpty()) {
        return object;
      }
    } catch (IOException e) {
      // Reported below, with what was expected.
    }
    throw new InvalidInputException(
        argument,
        "expected the row's key as a JSON object such as {\"id\":\"...\"}, or an id value");
  }

  private static String cursor(String product, long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("auditLog:" + product + ":" + seq).getBytes(StandardCharsets.UTF_8));
  }

  private static long decodeCursor(String product, String cursor) {
    String prefix = "auditLog:" + product + ":";
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(prefix)) {
        long seq = Long.parseLong(text.substring(prefix.length()));
        if (seq >= 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // Reported below.
    }
    throw new InvalidInputException(
        "after",
        "'"
            + cursor
            + "' is not a cursor auditLog returned for "
            + product
            + " (use pageInfo.endCursor)");
  }
}
