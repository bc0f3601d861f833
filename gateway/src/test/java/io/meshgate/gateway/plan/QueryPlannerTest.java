package io.meshgate.gateway.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.supergraph.Supergraph;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner on the hard Federation rules, over the supergraphs the conformance corpus composes
 * (its {@code supergraph.graphql} golden files): which subgraphs are asked, in which order, with
 * which representations.
 */
class QueryPlannerTest {

  private static Supergraph supergraph(String testCase) {
    String resource = "/federation-cases/" + testCase + "/supergraph.graphql";
    try (InputStream in = QueryPlannerTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return Supergraph.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static QueryPlan plan(String testCase, String query) {
    NormalizedOperation operation =
        NormalizedOperation.of(graphql.parser.Parser.parse(query), null);
    return new QueryPlanner(supergraph(testCase)).plan(operation);
  }

  /** The plan's fetches in execution order (stages first to last, a stage in plan order). */
  private static List<PlanNode.Fetch> fetches(QueryPlan plan) {
    List<PlanNode.Fetch> result = new ArrayList<>();
    collect(plan.root(), result);
    return result;
  }

  private static void collect(PlanNode node, List<PlanNode.Fetch> out) {
    switch (node) {
      case PlanNode.Fetch fetch -> out.add(fetch);
      case PlanNode.Flatten flatten -> out.add(flatten.fetch());
      case PlanNode.Sequence sequence -> sequence.nodes().forEach(n -> collect(n, out));
      case PlanNode.Parallel parallel -> parallel.nodes().forEach(n -> collect(n, out));
    }
  }

  private static String requires(PlanNode.Fetch fetch) {
    return fetch.toJson().path("requires").asText();
  }

  @Test
  void valueTypeUnderShareableRootIsAskedOfEachSubgraphThatResolvesPartOfIt() {
    QueryPlan plan =
        plan("value-type-reentry", "{ forecast(city: \"Oslo\") { city tempC humidity } }");
    assertThat(plan.root()).isInstanceOf(PlanNode.Parallel.class);
    assertThat(fetches(plan))
        .extracting(PlanNode.Fetch::subgraph)
        .containsExactlyInAnyOrder("meteo", "sensors");
    assertThat(fetches(plan))
        .allSatisfy(
            fetch -> {
              assertThat(fetch.isEntityFetch()).isFalse();
              assertThat(fetch.operation()).contains("forecast(city:\"Oslo\")");
            });
  }

  @Test
  void valueTypeFieldOfAnotherSubgraphIsFetchedThroughTheParentEntitysKey() {
    QueryPlan plan =
        plan("value-type-reentry", "{ stations { code reading { celsius batteryPct } } }");
    List<PlanNode.Fetch> fetches = fetches(plan);
    assertThat(fetches).extracting(PlanNode.Fetch::subgraph).containsExactly("meteo", "sensors");
    PlanNode.Fetch reentry = fetches.get(1);
    assertThat(reentry.entityType()).isEqualTo("Station");
    assertThat(reentry.operation()).contains("reading{__typename batteryPct}");
  }

  @Test
  void requiresThatNeedsAnEarlierTripToTheSameSubgraphGetsAFetchOfItsOwn() {
    QueryPlan plan = plan("requires-roundtrip", "{ orders { id freight } }");
    List<PlanNode.Fetch> fetches = fetches(plan);
    assertThat(plan.root()).isInstanceOf(PlanNode.Sequence.class);
    assertThat(fetches)
        .extracting(PlanNode.Fetch::subgraph)
        .containsExactly("orders", "parcels", "orders");
    assertThat(fetches.get(0).operation()).contains("lines(shipped:false)");
    assertThat(requires(fetches.get(1))).contains("sku");
    assertThat(requires(fetches.get(2))).contains("lines(shipped:false)").contains("weight");
    assertThat(fetches.get(2).operation()).contains("freight");
  }

  @Test
  void requiredFieldsWithCollidingArgumentsTravelInSeparateRepresentations() {
    QueryPlan plan = plan("requires-argument-collision", "{ tickets { id usdLabel eurLabel } }");
    List<PlanNode.Fetch> fetches = fetches(plan);
    assertThat(fetches)
        .extracting(PlanNode.Fetch::subgraph)
        .containsExactly("pricing", "checkout", "checkout");
    String root = fetches.get(0).operation();
    assertThat(root).contains("price(currency:\"USD\")").contains("price(currency:\"EUR\")");
    assertThat(List.of(requires(fetches.get(1)), requires(fetches.get(2))))
        .anySatisfy(r -> assertThat(r).contains("price(currency:\"USD\")").doesNotContain("EUR"))
        .anySatisfy(r -> assertThat(r).contains("price(currency:\"EUR\")").doesNotContain("USD"));
  }

  @Test
  void clientFieldKeepsItsOwnArgumentBesideRequiredVariants() {
    QueryPlan plan =
        plan("requires-argument-collision", "{ tickets { price(currency: \"GBP\") usdLabel } }");
    String root = fetches(plan).get(0).operation();
    assertThat(root).contains("price(currency:\"GBP\")");
    // The required USD price travels under an internal alias, never under the client's key.
    assertThat(root).containsPattern("__mg_price_[0-9a-z]+:price\\(currency:\"USD\"\\)");
  }

  @Test
  void internalAliasesAvoidEveryAliasTheClientUses() {
    QueryPlan plan =
        plan(
            "requires-argument-collision",
            "{ tickets { __mg_price_x: event price(currency: \"GBP\") usdLabel } }");
    String root = fetches(plan).get(0).operation();
    assertThat(root).contains("__mg_price_x:event");
    assertThat(root).containsPattern("__mg1_price_[0-9a-z]+:price\\(currency:\"USD\"\\)");
    assertThat(fetches(plan).get(1).aliasPrefix()).isEqualTo("__mg1_");
  }
}
