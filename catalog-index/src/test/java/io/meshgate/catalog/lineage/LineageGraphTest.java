package io.meshgate.catalog.lineage;

import static io.meshgate.catalog.testing.Entries.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.index.CatalogRecord;
import io.meshgate.catalog.index.IndexOptions;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.DatasetKind;
import io.meshgate.catalog.model.LineageEdge;
import io.meshgate.catalog.model.LineageEdge.Kind;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineageGraphTest {

  static final String TABLE = "sales/table/sales.customers#email";
  static final String TOPIC = "sales/topic/mesh.sales.customer.changes#after.email";
  static final String READ_MODEL = "sales/table/sales_read.customers#email";
  static final String GRAPHQL = "sales/graphql/Customer#email";
  static final String REPLICA = "distribution/table/distribution_read.customers#email";
  static final String INVOICE = "finance/table/invoices#billing_email";

  /** The customer e-mail's way through the mesh, each hop declared by the downstream dataset. */
  static List<CatalogEntry> customerEmailMesh() {
    return List.of(
        dataset("sales.customers").field("email", "text", "").build(),
        dataset("mesh.sales.customer.changes")
            .kind(DatasetKind.TOPIC)
            .field("after.email", "string", "")
            .edge(TABLE, TOPIC, Kind.CAPTURE)
            .build(),
        dataset("sales_read.customers")
            .field("email", "text", "")
            .edge(TOPIC, READ_MODEL, Kind.PROJECTION)
            .build(),
        dataset("Customer")
            .kind(DatasetKind.GRAPHQL_TYPE)
            .field("email", "String!", "")
            .edge(READ_MODEL, GRAPHQL, Kind.EXPOSURE)
            .build(),
        dataset("distribution_read.customers")
            .product("distribution")
            .field("email", "text", "")
            .edge(TOPIC, REPLICA, Kind.PROJECTION)
            .build(),
        dataset("invoices")
            .product("finance")
            .field("billing_email", "text", "")
            .edge(REPLICA, INVOICE, Kind.COPY)
            .build());
  }

  static LineageGraph graphOf(List<CatalogEntry> entries) {
    LineageGraph graph = new LineageGraph();
    entries.forEach(graph::upserted);
    return graph;
  }

  @Test
  void followsAFieldDownstreamAcrossProductsWithDegreesAndShortestPaths() {
    LineageResult result =
        graphOf(customerEmailMesh())
            .traverse(TABLE, Direction.DOWNSTREAM, 10, LineageLimits.defaults());

    assertThat(degrees(result))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(TOPIC, 1, READ_MODEL, 2, REPLICA, 2, GRAPHQL, 3, INVOICE, 3));
    assertThat(result.partial()).isFalse();
    LineageNode invoice = node(result, INVOICE);
    assertThat(invoice.path()).extracting(LineageHop::to).containsExactly(TOPIC, REPLICA, INVOICE);
    assertThat(invoice.path())
        .extracting(LineageHop::kind)
        .containsExactly(Kind.CAPTURE, Kind.PROJECTION, Kind.COPY);
    assertThat(invoice.path().getLast().declaredBy()).isEqualTo("finance/table/invoices");
    assertThat(invoice.dataset()).isEqualTo("finance/table/invoices");
  }

  @Test
  void followsAFieldUpstreamToItsSource() {
    LineageResult result =
        graphOf(customerEmailMesh())
            .traverse(GRAPHQL, Direction.UPSTREAM, 10, LineageLimits.defaults());

    assertThat(degrees(result))
        .containsExactlyInAnyOrderEntriesOf(Map.of(READ_MODEL, 1, TOPIC, 2, TABLE, 3));
    assertThat(node(result, TABLE).path())
        .extracting(LineageHop::from)
        .containsExactly(READ_MODEL, TOPIC, TABLE);
  }

  @Test
  void bothDirectionsReportTheWayEachNodeWasReached() {
    LineageResult result =
        graphOf(customerEmailMesh())
            .traverse(REPLICA, Direction.BOTH, 10, LineageLimits.defaults());

    assertThat(result.nodes())
        .extracting(LineageNode::id, LineageNode::direction, LineageNode::degree)
        .containsExactlyInAnyOrder(
            tuple(TOPIC, Direction.UPSTREAM, 1),
            tuple(TABLE, Direction.UPSTREAM, 2),
            tuple(INVOICE, Direction.DOWNSTREAM, 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void stopsAtTheRequestedDepthWithoutCallingItPartial(int depth) {
    LineageResult result =
        graphOf(customerEmailMesh())
            .traverse(TABLE, Direction.DOWNSTREAM, depth, LineageLimits.defaults());

    assertThat(result.nodes()).extracting(LineageNode::degree).allMatch(d -> d <= depth);
    assertThat(result.nodes()).extracting(LineageNode::degree).contains(depth);
    assertThat(result.partial()).isFalse();
  }

  @Test
  void cyclesAreFollowedOnceAndEndTheTraversal() {
    String a = "x/table/a#v";
    String b = "x/table/b#v";
    String c = "x/table/c#v";
    LineageGraph graph = new LineageGraph();
    graph.replace("x/table/b", List.of(LineageEdge.of(a, b, Kind.COPY)));
    graph.replace("x/table/c", List.of(LineageEdge.of(b, c, Kind.COPY)));
    graph.replace(
        "x/table/a",
        List.of(LineageEdge.of(c, a, Kind.COPY), LineageEdge.of(a, a, Kind.DERIVATION)));

    LineageResult down = graph.traverse(a, Direction.DOWNSTREAM, 100, LineageLimits.defaults());
    LineageResult both = graph.traverse(a, Direction.BOTH, 100, LineageLimits.defaults());

    assertThat(degrees(down)).containsExactlyInAnyOrderEntriesOf(Map.of(b, 1, c, 2));
    assertThat(both.nodes()).hasSize(4);
    assertThat(both.partial()).isFalse();
  }

  @Test
  void hugeFanOutGivesAPartialAnswerWithinTheLimits() {
    LineageGraph graph = new LineageGraph();
    List<LineageEdge> fanOut = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      fanOut.add(LineageEdge.of("big/topic/events#id", "big/table/copy_" + i + "#id", Kind.COPY));
    }
    graph.replace("big/topic/events", fanOut);

    LineageResult byNodes =
        graph.traverse(
            "big/topic/events#id", Direction.DOWNSTREAM, 5, new LineageLimits(100, 1_000_000));
    LineageResult byEdges =
        graph.traverse(
            "big/topic/events#id", Direction.DOWNSTREAM, 5, new LineageLimits(1_000_000, 250));

    assertThat(byNodes.partial()).isTrue();
    assertThat(byNodes.nodes()).hasSize(100);
    assertThat(byEdges.partial()).isTrue();
    assertThat(byEdges.edgesExamined()).isEqualTo(250);
  }

  @Test
  void upsertReplacesAndTombstoneRemovesTheEdgesADatasetDeclared() {
    LineageGraph graph = graphOf(customerEmailMesh());
    graph.upserted(
        dataset("distribution_read.customers")
            .product("distribution")
            .field("email", "text", "")
            .build());

    assertThat(degrees(graph.traverse(TABLE, Direction.DOWNSTREAM, 10, LineageLimits.defaults())))
        .containsOnlyKeys(TOPIC, READ_MODEL, GRAPHQL);

    graph.deleted("sales/table/sales_read.customers");
    assertThat(degrees(graph.traverse(TABLE, Direction.DOWNSTREAM, 10, LineageLimits.defaults())))
        .containsOnlyKeys(TOPIC);
    assertThat(graph.edgeCount()).isEqualTo(3);
  }

  @Test
  void datasetIdStartsFromAllOfItsFields() {
    LineageResult result =
        graphOf(customerEmailMesh())
            .traverse(
                "sales/topic/mesh.sales.customer.changes",
                Direction.DOWNSTREAM,
                1,
                LineageLimits.defaults());

    assertThat(degrees(result)).containsOnlyKeys(READ_MODEL, REPLICA);
  }

  @Test
  void impactListsEveryDownstreamDatasetNearestFirst() {
    ImpactReport impact = graphOf(customerEmailMesh()).impact(TABLE, LineageLimits.defaults());

    assertThat(impact.datasets())
        .extracting(ImpactReport.ImpactedDataset::dataset)
        .containsExactly(
            "sales/topic/mesh.sales.customer.changes",
            "sales/table/sales_read.customers",
            "distribution/table/distribution_read.customers",
            "sales/graphql/Customer",
            "finance/table/invoices");
    assertThat(impact.datasets())
        .extracting(ImpactReport.ImpactedDataset::product)
        .containsExactly("sales", "sales", "distribution", "sales", "finance");
    assertThat(impact.datasets().getLast().degree()).isEqualTo(3);
    assertThat(impact.partial()).isFalse();
  }

  @Test
  void unknownNodeHasNoLineageAndMalformedNodeIsRejected() {
    LineageGraph graph = graphOf(customerEmailMesh());

    assertThat(
            graph
                .traverse("hr/table/people#name", Direction.BOTH, 3, LineageLimits.defaults())
                .nodes())
        .isEmpty();
    assertThatThrownBy(
            () -> graph.traverse("not a node", Direction.BOTH, 3, LineageLimits.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a catalog node id");
    assertThatThrownBy(() -> graph.traverse(TABLE, Direction.BOTH, 0, LineageLimits.defaults()))
        .hasMessageContaining("depth");
  }

  @Test
  void followingAnIndexLoadsWhatItHoldsAndKeepsInStepWithItsChanges() throws IOException {
    try (CatalogIndex index =
        CatalogIndex.open(new ByteBuffersDirectory(), IndexOptions.defaults())) {
      long offset = 0;
      for (CatalogEntry entry : customerEmailMesh()) {
        index.apply(CatalogRecord.upsert(entry, 0, offset++));
      }
      LineageGraph graph = LineageGraph.follow(index);
      assertThat(graph.edgeCount()).isEqualTo(5);

      index.apply(CatalogRecord.tombstone("finance/table/invoices", 0, offset++));
      assertThat(graph.edgeCount()).isEqualTo(4);

      index.rebuild(List.of(CatalogRecord.upsert(customerEmailMesh().get(1), 0, 0)), 1, p -> {});
      assertThat(graph.edgeCount()).isEqualTo(1);
      assertThat(degrees(graph.traverse(TABLE, Direction.DOWNSTREAM, 5, LineageLimits.defaults())))
          .containsOnlyKeys(TOPIC);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void degreesEqualAReferenceBreadthFirstSearchOnRandomGraphsWithChurn(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    LineageGraph graph = new LineageGraph();
    Map<String, List<LineageEdge>> declared = new HashMap<>();
    for (int step = 0; step < 300; step++) {
      String owner = "p/table/d" + random.nextInt(40);
      List<LineageEdge> edges = new ArrayList<>();
      int count = random.nextInt(6);
      for (int e = 0; e < count; e++) {
        edges.add(LineageEdge.of(field(random), field(random), Kind.COPY));
      }
      graph.replace(owner, edges);
      declared.put(owner, edges);
    }
    String start = field(random);
    int depth = 1 + random.nextInt(6);

    Map<String, Integer> expected = referenceDegrees(declared, start, depth);
    Map<String, Integer> actual =
        degrees(graph.traverse(start, Direction.DOWNSTREAM, depth, LineageLimits.defaults()));

    assertThat(actual).isEqualTo(expected);
    assertThat(graph.edgeCount()).isEqualTo(declared.values().stream().mapToInt(List::size).sum());
  }

  private static String field(SplittableRandom random) {
    return "p/table/d" + random.nextInt(40) + "#f" + random.nextInt(3);
  }

  private static Map<String, Integer> referenceDegrees(
      Map<String, List<LineageEdge>> declared, String start, int depth) {
    Map<String, List<String>> next = new HashMap<>();
    declared
        .values()
        .forEach(
            edges ->
                edges.forEach(
                    e -> next.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to())));
    Map<String, Integer> seen = new HashMap<>(Map.of(start, 0));
    ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String node = queue.poll();
      if (seen.get(node) == depth) {
        continue;
      }
      for (String to : next.getOrDefault(node, List.of())) {
        if (seen.putIfAbsent(to, seen.get(node) + 1) == null) {
          queue.add(to);
        }
      }
    }
    seen.remove(start);
    return seen;
  }

  private static Map<String, Integer> degrees(LineageResult result) {
    return result.nodes().stream().collect(Collectors.toMap(LineageNode::id, LineageNode::degree));
  }

  private static LineageNode node(LineageResult result, String id) {
    return result.nodes().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }
}
