package io.meshgate.catalog.lineage;

import io.meshgate.catalog.model.LineageEdge;

/**
 * One edge on a lineage path, always in data-flow direction ({@code from} upstream of {@code to})
 * whichever way it was followed.
 *
 * @param from upstream field node id
 * @param to downstream field node id
 * @param kind how the value travels
 * @param transformation how {@code to} is made from {@code from}, if described
 * @param declaredBy the dataset whose catalog entry declares the edge
 */
public record LineageHop(
    String from, String to, LineageEdge.Kind kind, String transformation, String declaredBy) {}
