package io.meshgate.catalog.lineage;

import io.meshgate.catalog.model.NodeId;
import java.util.List;

/**
 * A node reached by a traversal.
 *
 * @param id field node id
 * @param direction the way it was reached ({@link Direction#UPSTREAM} or {@link
 *     Direction#DOWNSTREAM})
 * @param degree hops from the start (1 for direct neighbours)
 * @param path one shortest path from the start to this node, {@code degree} hops long
 */
public record LineageNode(String id, Direction direction, int degree, List<LineageHop> path) {

  public LineageNode {
    path = List.copyOf(path);
  }

  /** The dataset this node belongs to. */
  public String dataset() {
    return NodeId.parse(id).datasetNode().toString();
  }
}
