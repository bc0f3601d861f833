package io.meshgate.audit.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.AuditEntry;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.chain.ChangeOp;
import io.meshgate.audit.chain.SourcePosition;
import io.meshgate.audit.hash.Hash;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineageRulesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      textBlock =
          """
          finance      | invoice            | order_id  | o-1                        | o-1
          finance      | ledger_transaction | reference | order o-2                  | o-2
          finance      | ledger_transaction | reference | reversal of order o-3      | o-3
          finance      | ledger_transaction | reference | manual adjustment          | -
          finance      | account            | order_id  | o-4                        | -
          distribution | invoice            | order_id  | o-5                        | -
          """)
  void findsTheDistributionOrderAFinanceRecordCameFrom(
      String product, String entity, String column, String value, String orderId) {
    ObjectNode row = JsonNodeFactory.instance.objectNode().put("id", "r-1").put(column, value);
    ChangeEvent change =
        new ChangeEvent(
            product,
            entity,
            JsonNodeFactory.instance.objectNode().put("id", "r-1"),
            ChangeOp.CREATE,
            null,
            row,
            new SourcePosition(1, 1L, Instant.parse("2026-11-27T01:00:00Z")));

    List<LineageRules.Upstream> upstream =
        LineageRules.upstreamOf(
            product,
            entity,
            List.of(new ChainedEntry(new AuditEntry(0, change), Hash.ZERO, Hash.ZERO)));

    if (orderId == null) {
      assertThat(upstream).isEmpty();
    } else {
      assertThat(upstream)
          .containsExactly(
              new LineageRules.Upstream(
                  "distribution",
                  "order",
                  JsonNodeFactory.instance.objectNode().put("id", orderId)));
    }
  }
}
