package io.meshgate.product.loyalty;

/**
 * A sales customer as loyalty knows it: only its id. Loyalty adds the membership to the federated
 * {@code Customer}; every other field is resolved by sales. Named like the GraphQL type, because
 * federation resolves {@code _Entity} by class name.
 */
public record Customer(String id) {}
