package io.meshgate.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.catalog.index.CatalogRecord;
import io.meshgate.catalog.index.DataProduct;
import io.meshgate.catalog.lineage.Direction;
import io.meshgate.catalog.lineage.LineageLimits;
import io.meshgate.catalog.lineage.LineageNode;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.LineageEdge;
import io.meshgate.catalog.search.SearchRequest;
import io.meshgate.catalog.search.SearchResult;
import io.meshgate.catalog.testing.CatalogTopic;
import io.meshgate.catalog.testing.Entries;
import io.meshgate.catalog.testing.SampleCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog as its consumer and its API use it, across a restart. */
class CatalogTest {

  @TempDir Path dir;

  @Test
  void restartedCatalogSearchesAndTracesLineageFromWhatItCommitted() throws Exception {
    CatalogTopic topic = new CatalogTopic(2);
    SampleCatalog.entries().forEach(topic::publish);
    lineageMesh().forEach(topic::publish);
    topic.remove("finance/table/invoices");

    try (Catalog catalog = Catalog.open(dir)) {
      catalog.index().applyAll(topic.readFrom(catalog.index().committedOffsets()));
      catalog.index().refresh();
    }

    try (Catalog restarted = Catalog.open(dir)) {
      assertThat(restarted.index().committedOffsets()).isNotEmpty();
      assertThat(topic.readFrom(restarted.index().committedOffsets())).isEmpty();

      SearchResult customers = restarted.search().search(SearchRequest.of("customers"));
      assertThat(customers.hits().getFirst().id()).isEqualTo("sales/table/sales.customers");
      assertThat(restarted.search().search(SearchRequest.of("invoices")).hits())
          .noneMatch(h -> h.dataset().equals("finance/table/invoices"));

      List<LineageNode> downstream =
          restarted
              .lineage()
              .traverse(
                  "sales/table/sales.customers#email",
                  Direction.DOWNSTREAM,
                  5,
                  LineageLimits.defaults())
              .nodes();
      assertThat(downstream)
          .extracting(LineageNode::id)
          .containsExactlyInAnyOrder(
              "sales/graphql/Customer#email", "distribution/table/customer_replica#email");
    }
  }

  @Test
  void dataProductListsItsDatasetsDomainsAndOwners() throws Exception {
    try (Catalog catalog = Catalog.open(dir)) {
      long offset = 0;
      for (CatalogEntry entry : SampleCatalog.entries()) {
        catalog.index().apply(CatalogRecord.upsert(entry, 0, offset++));
      }
      catalog.index().refresh();

      DataProduct finance = catalog.index().product("finance").orElseThrow();

      assertThat(finance.datasets())
          .extracting(CatalogEntry::id)
          .containsExactly("finance/table/CustomerAccount", "finance/table/invoices");
      assertThat(finance.domains()).containsExactly("Finance");
      assertThat(finance.owners()).containsExactly("team-finance");
      assertThat(finance.fieldCount()).isEqualTo(5);
      assertThat(catalog.index().product("nobody")).isEmpty();
    }
  }

  private static List<CatalogEntry> lineageMesh() {
    return List.of(
        Entries.dataset("customer_replica")
            .product("distribution")
            .field("email", "text", "")
            .edge(
                "sales/table/sales.customers#email",
                "distribution/table/customer_replica#email",
                LineageEdge.Kind.PROJECTION)
            .build());
  }
}
