package io.meshgate.product.distribution;

/** One line of an order as the subgraph serves it. */
public record OrderLine(String id, String orderId, String sku, int quantity, String unitPrice) {}
