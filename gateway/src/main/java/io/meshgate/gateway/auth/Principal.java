package io.meshgate.gateway.auth;

import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The caller of one request: the subject and scopes of its verified token, or the anonymous caller
 * (no subject, no scopes).
 *
 * @param subject the token's {@code sub}; null for the anonymous caller
 * @param scopes what the token grants, as read from the configured claims
 */
public record Principal(@Nullable String subject, Set<String> scopes) {

  /** A request without a token, where the gateway admits those. */
  public static final Principal ANONYMOUS = new Principal(null, Set.of());

  public Principal {
    scopes = Set.copyOf(scopes);
  }

  /** True for a caller that presented a valid token. */
  public boolean authenticated() {
    return subject != null;
  }

  @Override
  public String toString() {
    return subject == null ? "anonymous" : subject + " " + new TreeSet<>(scopes);
  }
}
