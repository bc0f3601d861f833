package io.meshgate.product.loyalty;

/**
 * A membership as the subgraph serves it. Named like the GraphQL type, because federation resolves
 * {@code _Entity} by class name.
 *
 * @param enrolledAt ISO-8601, UTC
 */
public record LoyaltyMember(String id, String customerId, String tier, String enrolledAt) {}
