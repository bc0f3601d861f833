package io.meshgate.audit.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChangeTopicsTest {

  @Test
  void picksEveryProductsChangeTopicsAndNothingElse() {
    List<String> topics =
        List.of(
            "mesh.sales.customer.changes",
            "mesh.finance.ledger_transaction.changes",
            "mesh.audit.heads",
            "mesh.sales.metrics",
            "mesh.sales.deadletter",
            "mesh.catalog",
            "mesh.newproduct2.thing.changes",
            "__consumer_offsets",
            "mesh.Sales.customer.changes");

    assertThat(ChangeTopics.among(topics))
        .containsExactly(
            "mesh.finance.ledger_transaction.changes",
            "mesh.newproduct2.thing.changes",
            "mesh.sales.customer.changes");
  }

  @Test
  void namesTheProductAndEntityOfATopic() {
    assertThat(ChangeTopics.product("mesh.finance.ledger_transaction.changes"))
        .isEqualTo("finance");
    assertThat(ChangeTopics.entity("mesh.finance.ledger_transaction.changes"))
        .isEqualTo("ledger_transaction");
    assertThat(ChangeTopics.of("finance", "invoice")).isEqualTo("mesh.finance.invoice.changes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"mesh.audit.heads", "mesh.sales.customer.changes.extra", "mesh..customer.changes"})
  void refusesOtherTopics(String topic) {
    assertThatThrownBy(() -> ChangeTopics.product(topic))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(topic);
  }
}
