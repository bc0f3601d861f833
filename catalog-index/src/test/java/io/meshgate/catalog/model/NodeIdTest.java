package io.meshgate.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sales/table/sales.customers",
        "sales/table/sales.customers#email",
        "sales/topic/mesh.sales.customer.changes#after.email",
        "sales/graphql/Customer#email",
        "finance-eu/metric/revenue.daily#amount"
      })
  void parsingAndPrintingGiveTheSameId(String id) {
    assertThat(NodeId.parse(id).toString()).isEqualTo(id);
  }

  @Test
  void splitsTopicNameAndNestedFieldPathAtTheHash() {
    NodeId id = NodeId.parse("sales/topic/mesh.sales.customer.changes#after.email");

    assertThat(id.product()).isEqualTo("sales");
    assertThat(id.kind()).isEqualTo(DatasetKind.TOPIC);
    assertThat(id.dataset()).isEqualTo("mesh.sales.customer.changes");
    assertThat(id.field()).isEqualTo("after.email");
    assertThat(id.datasetNode().toString()).isEqualTo("sales/topic/mesh.sales.customer.changes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sales",
        "sales/table",
        "Sales/table/x",
        "sales/sheet/x",
        "sales/table/a#b#c",
        "sales/table/a b"
      })
  void rejectsMalformedIds(String id) {
    assertThatThrownBy(() -> NodeId.parse(id)).isInstanceOf(IllegalArgumentException.class);
  }
}
