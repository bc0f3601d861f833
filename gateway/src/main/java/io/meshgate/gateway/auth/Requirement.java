package io.meshgate.gateway.auth;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a caller needs to read one field or type: a valid token ({@code @authenticated}), scopes
 * ({@code @requiresScopes}) and policies ({@code @policy}). Scopes and policies are each a list of
 * alternatives: the caller needs every item of at least one of them (outer list OR, inner AND).
 *
 * @param authenticated a valid token is needed
 * @param scopes the alternatives of scopes; empty when no scope is needed
 * @param policies the alternatives of policies; empty when no policy is needed
 */
public record Requirement(
    boolean authenticated, List<Set<String>> scopes, List<Set<String>> policies) {

  /**
   * The most alternatives a combined requirement keeps (composition refuses more; the gateway,
   * reading a supergraph from elsewhere, fails closed beyond it).
   */
  public static final int MAX_ALTERNATIVES = 256;

  /** Alternatives that no caller meets: what a requirement becomes that cannot be kept apart. */
  static final List<Set<String>> NOBODY = List.of(Set.of("\u0000nobody"));

  /** Nothing needed. */
  public static final Requirement NONE = new Requirement(false, List.of(), List.of());

  public Requirement {
    scopes = scopes.stream().map(Set::copyOf).toList();
    policies = policies.stream().map(Set::copyOf).toList();
  }

  public boolean isNone() {
    return !authenticated && scopes.isEmpty() && policies.isEmpty();
  }

  /** Both requirements at once. */
  public Requirement and(Requirement other) {
    if (other.isNone()) {
      return this;
    }
    if (isNone()) {
      return other;
    }
    return new Requirement(
        authenticated || other.authenticated,
        product(scopes, other.scopes),
        product(policies, other.policies));
  }

  private static List<Set<String>> product(List<Set<String>> a, List<Set<String>> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    List<Set<String>> result = new ArrayList<>();
    for (Set<String> x : a) {
      for (Set<String> y : b) {
        Set<String> both = new LinkedHashSet<>(x);
        both.addAll(y);
        if (!result.contains(both)) {
          result.add(both);
        }
        if (result.size() > MAX_ALTERNATIVES) {
          // Too many ways to qualify to keep apart: nobody qualifies (fail closed).
          return NOBODY;
        }
      }
    }
    return result;
  }

  /** True when {@code caller} meets the requirement, its policies decided by {@code policies}. */
  public boolean allows(Principal caller, PolicyDecision policies) {
    if (authenticated && !caller.authenticated()) {
      return false;
    }
    if (!scopes.isEmpty() && scopes.stream().noneMatch(caller.scopes()::containsAll)) {
      return false;
    }
    return policies().isEmpty()
        || policies().stream()
            .anyMatch(all -> all.stream().allMatch(policy -> policies.allows(caller, policy)));
  }
}
