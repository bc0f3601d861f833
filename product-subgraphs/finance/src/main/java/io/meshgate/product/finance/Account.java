package io.meshgate.product.finance;

/** An account as the subgraph serves it; its balance and transactions are resolved separately. */
public record Account(String id, String customerId, String currency, String openedAt) {}
