package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.launcher.Mesh;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The enterprise catalog, through the gateway, over what the running products published: search
 * with exact names first and typo tolerance, lineage across products, and each product's latest
 * audit head.
 */
class EnterpriseCatalogIT {

  private static final Duration INDEXED = Duration.ofSeconds(90);
  private static final String SEARCH =
      """
      query($q: String!) { catalogSearch(query: $q, first: 5, facets: ["product"]) {
        total hits { id name kind product } facets { name values { value count } } didYouMean } }\
      """;
  private static GraphQlClient gateway;

  @BeforeAll
  static void startMesh() {
    Mesh mesh = SharedMesh.get();
    gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    await()
        .atMost(INDEXED)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                gateway.data(SEARCH, Map.of("q", "ledger")).at("/catalogSearch/total").asInt() > 0
                    && gateway
                            .data(SEARCH, Map.of("q", "customers"))
                            .at("/catalogSearch/total")
                            .asInt()
                        > 0);
  }

  @Test
  void searchingCustomerFindsTheSalesCustomersFirstEvenWithATypo() {
    JsonNode exact = gateway.data(SEARCH, Map.of("q", "customer")).path("catalogSearch");
    assertThat(exact.at("/hits/0/product").asText()).isEqualTo("sales");
    assertThat(exact.at("/hits/0/name").asText()).isIn("Customer", "sales.customers", "customer");
    Set<String> products = new HashSet<>();
    exact.at("/facets/0/values").forEach(v -> products.add(v.path("value").asText()));
    assertThat(products).contains("sales", "distribution", "finance");

    JsonNode typo = gateway.data(SEARCH, Map.of("q", "custmer")).path("catalogSearch");
    assertThat(typo.path("total").asInt()).isPositive();
    assertThat(typo.at("/hits/0/product").asText()).isEqualTo("sales");
  }

  @Test
  void aMalformedQueryIsAnErrorNamingTheProblem() {
    JsonNode response =
        gateway.execute("{ catalogSearch(query: \"customer AND (\") { total } }", Map.of());
    assertThat(response.path("errors").toString()).contains("query");
  }

  @Test
  void lineageLeadsFromASalesColumnDownstreamIntoDistribution() {
    JsonNode lineage =
        gateway
            .data(
                "{ lineage(node: \"sales/table/sales.customers#country\", direction: DOWNSTREAM,"
                    + " depth: 4) { nodes { id degree } partial } }",
                Map.of())
            .path("lineage");
    Set<String> reached = new HashSet<>();
    lineage.path("nodes").forEach(n -> reached.add(n.path("id").asText()));
    assertThat(reached)
        .contains(
            "sales/topic/mesh.sales.customer.changes#after.country",
            "distribution/table/distribution_read.customers#country");
    assertThat(lineage.path("partial").asBoolean()).isFalse();
  }

  @Test
  void eachProductShowsItsLatestSignedAuditHead() {
    await()
        .atMost(INDEXED)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode product =
                  gateway
                      .data(
                          "{ dataProduct(name: \"sales\") { name owners auditHead { treeSize"
                              + " rootHash } } }",
                          Map.of())
                      .path("dataProduct");
              assertThat(product.path("owners").toString()).contains("team-sales");
              assertThat(product.at("/auditHead/treeSize").asLong()).isPositive();
              assertThat(product.at("/auditHead/rootHash").asText()).isNotBlank();
            });
  }
}
