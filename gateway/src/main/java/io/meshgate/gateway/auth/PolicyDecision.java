package io.meshgate.gateway.auth;

/**
 * Decides the policies named by {@code @policy(policies:)}: whether a caller satisfies one. A
 * policy nobody decides is not satisfied, so a field guarded by an unknown policy stays closed.
 */
@FunctionalInterface
public interface PolicyDecision {

  /** Grants no policy to anyone: fields under {@code @policy} are closed. */
  PolicyDecision DENY_ALL = (caller, policy) -> false;

  /** True when {@code caller} satisfies {@code policy}. */
  boolean allows(Principal caller, String policy);
}
