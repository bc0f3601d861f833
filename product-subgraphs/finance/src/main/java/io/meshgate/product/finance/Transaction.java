package io.meshgate.product.finance;

/** A ledger transaction as the subgraph serves it. */
public record Transaction(
    String id,
    String accountId,
    String kind,
    String amount,
    String currency,
    String reference,
    String bookedAt) {}
