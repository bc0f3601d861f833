package io.meshgate.product.finance;

/**
 * A sales customer as finance knows it: only its id. Finance adds accounts and a balance to the
 * federated {@code Customer}; every other field is resolved by sales. Named like the GraphQL type,
 * because federation resolves {@code _Entity} by class name.
 */
public record Customer(String id) {}
