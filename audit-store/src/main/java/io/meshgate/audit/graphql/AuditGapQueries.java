package io.meshgate.audit.graphql;

import io.meshgate.audit.store.AuditLog;
import io.meshgate.audit.store.SourceGap;
import io.meshgate.runtime.subgraph.InvalidInputException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/**
 * {@code auditGaps}: the ranges of a product's change topics deleted from Kafka before the audit
 * log read them, so that a log with missing changes says so.
 */
@Controller
public class AuditGapQueries {

  private final AuditLog auditLog;
  private final ProductContracts contracts;

  public AuditGapQueries(AuditLog auditLog, ProductContracts contracts) {
    this.auditLog = auditLog;
    this.contracts = contracts;
  }

  /** One gap as served: offsets are 64-bit, so they are decimal strings, as LSNs are. */
  public record Gap(
      String product,
      String topic,
      int partition,
      String fromOffset,
      String toOffset,
      String missing,
      String detectedAt) {

    static Gap of(SourceGap gap) {
      return new Gap(
          gap.product(),
          gap.topic(),
          gap.partition(),
          Long.toString(gap.fromOffset()),
          Long.toString(gap.toOffset()),
          Long.toString(gap.size()),
          gap.detectedAt().toString());
    }
  }

  @QueryMapping
  public List<Gap> auditGaps(@Argument String product) {
    List<SourceGap> gaps = auditLog.gaps(product);
    if (gaps.isEmpty()) {
      requireKnown(product);
    }
    return gaps.stream().map(Gap::of).toList();
  }

  private void requireKnown(String product) {
    if (contracts.products().contains(product)) {
      return;
    }
    List<String> logged = auditLog.products();
    if (logged.contains(product)) {
      return;
    }
    Set<String> known = new TreeSet<>(contracts.products());
    known.addAll(logged);
    throw new InvalidInputException(
        "product",
        "unknown product '" + product + "' (known: " + String.join(", ", known) + ")",
        "NOT_FOUND");
  }
}
