package io.meshgate.catalog.lineage;

import io.meshgate.catalog.index.CatalogIndex;
import io.meshgate.catalog.index.CatalogListener;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.LineageEdge;
import io.meshgate.catalog.model.NodeId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The field-level lineage graph of the whole catalog, in memory.
 *
 * <p>Node ids are interned to ints and each node keeps growable int arrays of its outgoing and
 * incoming edge ids, so a traversal touches only arrays. Each catalog entry owns the edges it
 * declares: an upsert replaces them, a tombstone removes them. Traversals are breadth-first, so
 * every reached node comes with its hop distance and one shortest path; a visited mark makes cycles
 * harmless. Reads run concurrently; updates take a write lock.
 *
 * <p>As a {@link CatalogListener} the graph follows the index; {@link #follow(CatalogIndex)} loads
 * what the index holds and subscribes in one step.
 */
public final class LineageGraph implements CatalogListener {

  private static final int[] NONE = new int[0];
  private static final LineageEdge.Kind[] KINDS = LineageEdge.Kind.values();

  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  // nodes
  private final Map<String, Integer> nodeIds = new HashMap<>();
  private final List<String> nodeNames = new ArrayList<>();
  private final Map<String, int[]> fieldsOfDataset = new HashMap<>();
  private int[][] out = new int[16][];
  private int[] outCount = new int[16];
  private int[][] in = new int[16][];
  private int[] inCount = new int[16];

  // edges; removed edge ids are reused
  private int[] edgeFrom = new int[16];
  private int[] edgeTo = new int[16];
  private byte[] edgeKind = new byte[16];
  private String[] edgeTransformation = new String[16];
  private String[] edgeOwner = new String[16];
  private int edgeSlots;
  private int[] freeEdges = new int[16];
  private int freeCount;
  private final Map<String, int[]> edgesOfDataset = new HashMap<>();

  private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

  /**
   * A graph holding the lineage of every entry in {@code index} that keeps following the index's
   * changes. Subscribe before consuming further records.
   */
  public static LineageGraph follow(CatalogIndex index) throws IOException {
    LineageGraph graph = new LineageGraph();
    index.refresh();
    index.forEachEntry(graph::upserted);
    index.addListener(graph);
    return graph;
  }

  /** Replaces the edges {@code entry} declares. */
  @Override
  public void upserted(CatalogEntry entry) {
    replace(entry.id(), entry.lineage());
  }

  /** Removes the edges the dataset declared. */
  @Override
  public void deleted(String datasetId) {
    replace(datasetId, List.of());
  }

  /** Removes every edge and node. */
  @Override
  public void cleared() {
    lock.writeLock().lock();
    try {
      nodeIds.clear();
      nodeNames.clear();
      fieldsOfDataset.clear();
      Arrays.fill(outCount, 0);
      Arrays.fill(inCount, 0);
      Arrays.fill(edgeTransformation, null);
      Arrays.fill(edgeOwner, null);
      edgeSlots = 0;
      freeCount = 0;
      edgesOfDataset.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Replaces every edge declared by {@code datasetId} with {@code edges}. */
  public void replace(String datasetId, List<LineageEdge> edges) {
    lock.writeLock().lock();
    try {
      for (int edge : edgesOfDataset.getOrDefault(datasetId, NONE)) {
        removeEdge(edge);
      }
      if (edges.isEmpty()) {
        edgesOfDataset.remove(datasetId);
        return;
      }
      int[] owned = new int[edges.size()];
      for (int i = 0; i < owned.length; i++) {
        owned[i] = addEdge(edges.get(i), datasetId);
      }
      edgesOfDataset.put(datasetId, owned);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Number of edges in the graph. */
  public int edgeCount() {
    lock.readLock().lock();
    try {
      return edgeSlots - freeCount;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Follows lineage from {@code start}, a field node id or a dataset id (then from all of its
   * fields), up to {@code maxDepth} hops.
   *
   * @throws IllegalArgumentException when {@code start} is not a node id or the depth is not
   *     positive
   */
  public LineageResult traverse(
      String start, Direction direction, int maxDepth, LineageLimits limits) {
    NodeId.parse(start);
    if (maxDepth < 1) {
      throw new IllegalArgumentException("depth must be at least 1: " + maxDepth);
    }
    lock.readLock().lock();
    try {
      int[] seeds = seeds(start);
      Walk walk = new Walk(limits);
      if (direction != Direction.DOWNSTREAM) {
        walk.run(seeds, Direction.UPSTREAM, maxDepth);
      }
      if (direction != Direction.UPSTREAM) {
        walk.run(seeds, Direction.DOWNSTREAM, maxDepth);
      }
      return new LineageResult(start, walk.nodes, walk.partial, walk.edgesExamined);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Everything downstream of {@code start} at any depth, grouped by dataset, nearest first. */
  public ImpactReport impact(String start, LineageLimits limits) {
    LineageResult downstream = traverse(start, Direction.DOWNSTREAM, Integer.MAX_VALUE, limits);
    Map<String, List<String>> fields = new LinkedHashMap<>();
    Map<String, Integer> degrees = new HashMap<>();
    for (LineageNode node : downstream.nodes()) {
      String dataset = node.dataset();
      fields.computeIfAbsent(dataset, d -> new ArrayList<>()).add(node.id());
      degrees.merge(dataset, node.degree(), Math::min);
    }
    List<ImpactReport.ImpactedDataset> datasets = new ArrayList<>();
    fields.forEach(
        (dataset, ids) ->
            datasets.add(
                new ImpactReport.ImpactedDataset(
                    dataset, NodeId.parse(dataset).product(), ids, degrees.get(dataset))));
    return new ImpactReport(start, datasets, downstream.partial());
  }

  private int[] seeds(String start) {
    Integer node = nodeIds.get(start);
    if (node != null) {
      return new int[] {node};
    }
    return fieldsOfDataset.getOrDefault(start, NONE);
  }

  /**
   * One breadth-first traversal; fields are reused for both directions of {@link Direction#BOTH}.
   */
  private final class Walk {
    private final LineageLimits limits;
    private final List<LineageNode> nodes = new ArrayList<>();
    private boolean partial;
    private int edgesExamined;

    Walk(LineageLimits limits) {
      this.limits = limits;
    }

    void run(int[] seeds, Direction direction, int maxDepth) {
      Scratch s = scratch.get();
      s.begin(nodeNames.size());
      boolean downstream = direction == Direction.DOWNSTREAM;
      int head = 0;
      int tail = 0;
      for (int seed : seeds) {
        s.visit(seed, -1, 0);
        s.queue[tail++] = seed;
      }
      while (head < tail) {
        int node = s.queue[head++];
        int depth = s.depth[node];
        if (depth == maxDepth) {
          continue;
        }
        int[] edges = downstream ? out[node] : in[node];
        int count = downstream ? outCount[node] : inCount[node];
        for (int i = 0; i < count; i++) {
          if (edgesExamined == limits.maxEdges() || nodes.size() == limits.maxNodes()) {
            partial = true;
            return;
          }
          edgesExamined++;
          int edge = edges[i];
          int next = downstream ? edgeTo[edge] : edgeFrom[edge];
          if (s.visited(next)) {
            continue;
          }
          s.visit(next, edge, depth + 1);
          s.queue[tail++] = next;
          nodes.add(new LineageNode(nodeNames.get(next), direction, depth + 1, path(s, next)));
        }
      }
    }

    private List<LineageHop> path(Scratch s, int node) {
      LineageHop[] hops = new LineageHop[s.depth[node]];
      for (int at = node, i = hops.length - 1; i >= 0; i--) {
        int edge = s.parentEdge[at];
        hops[i] = hop(edge);
        at = edgeFrom[edge] == at ? edgeTo[edge] : edgeFrom[edge];
      }
      return Arrays.asList(hops);
    }
  }

  private LineageHop hop(int edge) {
    return new LineageHop(
        nodeNames.get(edgeFrom[edge]),
        nodeNames.get(edgeTo[edge]),
        KINDS[edgeKind[edge]],
        edgeTransformation[edge],
        edgeOwner[edge]);
  }

  /** Per-thread traversal arrays, cleared in O(1) by a generation stamp. */
  private static final class Scratch {
    int[] stamp = new int[0];
    int[] parentEdge = new int[0];
    int[] depth = new int[0];
    int[] queue = new int[0];
    int generation;

    void begin(int nodes) {
      if (stamp.length < nodes) {
        int size = Math.max(nodes, stamp.length * 2);
        stamp = new int[size];
        parentEdge = new int[size];
        depth = new int[size];
        queue = new int[size];
        generation = 0;
      }
      generation++;
    }

    boolean visited(int node) {
      return stamp[node] == generation;
    }

    void visit(int node, int edge, int hops) {
      stamp[node] = generation;
      parentEdge[node] = edge;
      depth[node] = hops;
    }
  }

  private int addEdge(LineageEdge edge, String owner) {
    int from = intern(edge.from());
    int to = intern(edge.to());
    int id;
    if (freeCount > 0) {
      id = freeEdges[--freeCount];
    } else {
      id = edgeSlots++;
      if (id == edgeFrom.length) {
        int size = id * 2;
        edgeFrom = Arrays.copyOf(edgeFrom, size);
        edgeTo = Arrays.copyOf(edgeTo, size);
        edgeKind = Arrays.copyOf(edgeKind, size);
        edgeTransformation = Arrays.copyOf(edgeTransformation, size);
        edgeOwner = Arrays.copyOf(edgeOwner, size);
      }
    }
    edgeFrom[id] = from;
    edgeTo[id] = to;
    edgeKind[id] = (byte) edge.kind().ordinal();
    edgeTransformation[id] = edge.transformation();
    edgeOwner[id] = owner;
    out[from] = append(out[from], outCount[from]++, id);
    in[to] = append(in[to], inCount[to]++, id);
    return id;
  }

  private void removeEdge(int edge) {
    int from = edgeFrom[edge];
    int to = edgeTo[edge];
    outCount[from] = removeFrom(out[from], outCount[from], edge);
    inCount[to] = removeFrom(in[to], inCount[to], edge);
    edgeTransformation[edge] = null;
    edgeOwner[edge] = null;
    if (freeCount == freeEdges.length) {
      freeEdges = Arrays.copyOf(freeEdges, freeCount * 2);
    }
    freeEdges[freeCount++] = edge;
  }

  /** Interns a node id; nodes stay interned until {@link #cleared()}, edges come and go. */
  private int intern(String id) {
    Integer known = nodeIds.get(id);
    if (known != null) {
      return known;
    }
    int node = nodeNames.size();
    nodeIds.put(id, node);
    nodeNames.add(id);
    if (node == out.length) {
      int size = node * 2;
      out = Arrays.copyOf(out, size);
      outCount = Arrays.copyOf(outCount, size);
      in = Arrays.copyOf(in, size);
      inCount = Arrays.copyOf(inCount, size);
    }
    out[node] = NONE;
    in[node] = NONE;
    outCount[node] = 0;
    inCount[node] = 0;
    String dataset = id.substring(0, id.indexOf('#'));
    int[] fields = fieldsOfDataset.getOrDefault(dataset, NONE);
    int[] more = Arrays.copyOf(fields, fields.length + 1);
    more[fields.length] = node;
    fieldsOfDataset.put(dataset, more);
    return node;
  }

  private static int[] append(int[] array, int size, int value) {
    int[] target = size == array.length ? Arrays.copyOf(array, Math.max(4, size * 2)) : array;
    target[size] = value;
    return target;
  }

  private static int removeFrom(int[] array, int size, int value) {
    for (int i = 0; i < size; i++) {
      if (array[i] == value) {
        array[i] = array[size - 1];
        return size - 1;
      }
    }
    return size;
  }
}
