package io.meshgate.catalog.lineage;

import java.util.List;

/**
 * What a traversal reached.
 *
 * @param start the node (field or dataset) the traversal started from
 * @param nodes reached nodes, nearest first
 * @param partial true when a limit of {@link LineageLimits} stopped the traversal before the
 *     requested depth was explored; more nodes exist
 * @param edgesExamined edges followed or looked at
 */
public record LineageResult(
    String start, List<LineageNode> nodes, boolean partial, int edgesExamined) {
  public LineageResult {
    nodes = List.copyOf(nodes);
  }
}
