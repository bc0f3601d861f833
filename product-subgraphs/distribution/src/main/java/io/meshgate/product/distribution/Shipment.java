package io.meshgate.product.distribution;

/** A shipment as the subgraph serves it. */
public record Shipment(
    String id, String orderId, String carrier, String status, String shippedAt) {}
