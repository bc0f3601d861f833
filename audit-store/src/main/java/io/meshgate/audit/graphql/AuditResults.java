package io.meshgate.audit.graphql;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The GraphQL result types of {@link AuditQueries} other than entries and heads. */
public final class AuditResults {

  private AuditResults() {}

  public record Connection(List<Edge> edges, PageInfo pageInfo) {}

  public record Edge(String cursor, AuditEntryView node) {}

  public record PageInfo(@Nullable String endCursor, boolean hasNextPage) {}

  public record Verification(
      String product,
      boolean valid,
      long fromSeq,
      long toSeq,
      long entriesChecked,
      int headsChecked,
      @Nullable Long firstBadSeq,
      @Nullable String defect,
      @Nullable String detail) {}

  public record InclusionProof(
      AuditEntryView entry,
      long leafIndex,
      long treeSize,
      List<String> auditPath,
      SignedTreeHeadView treeHead,
      String proofJson) {}

  public record ConsistencyProof(
      long oldSize,
      long newSize,
      List<String> path,
      SignedTreeHeadView firstHead,
      SignedTreeHeadView secondHead,
      String proofJson) {}

  public record Lineage(
      String product,
      String entity,
      String key,
      List<AuditEntryView> changes,
      List<AuditEntryView> causes) {}

  /** A product record the audit subgraph resolves as a federation entity: its type and id. */
  public record AuditedRecord(String typeName, String id) {}
}
