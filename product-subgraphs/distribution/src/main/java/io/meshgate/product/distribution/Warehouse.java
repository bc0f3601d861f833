package io.meshgate.product.distribution;

/** A warehouse as the subgraph serves it. */
public record Warehouse(String id, String code, String name, String country) {}
