package io.meshgate.catalog.index;

/**
 * How much of the catalog one product holds.
 *
 * @param product product name
 * @param datasets dataset documents
 * @param fields field documents
 */
public record ProductCount(String product, long datasets, long fields) {}
