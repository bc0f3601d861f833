package io.meshgate.product.finance;

/** An invoice as the subgraph serves it. */
public record Invoice(
    String id,
    String accountId,
    String orderId,
    String amount,
    String currency,
    String status,
    String issuedAt) {}
