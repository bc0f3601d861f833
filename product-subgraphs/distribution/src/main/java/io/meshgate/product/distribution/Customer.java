package io.meshgate.product.distribution;

/**
 * A sales customer as distribution knows it: only its id. Distribution adds orders and shipments to
 * the federated {@code Customer}; every other field is resolved by sales. Named like the GraphQL
 * type, because federation resolves {@code _Entity} by class name.
 */
public record Customer(String id) {}
