package io.meshgate.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import org.jspecify.annotations.Nullable;

/**
 * The public keys tokens are verified with, as a JSON Web Key Set that may change while the gateway
 * runs (keys rotated without a restart).
 */
public interface VerificationKeys extends AutoCloseable {

  /** The keys as they are now (public parts only). */
  JWKSet current();

  /** Changes whenever the key set does; verified tokens are remembered only within one version. */
  long version();

  /**
   * A token named a key id that is not in the set: a source that can look again (a URL) does so
   * soon, at a bounded rate, so a key rotated in at the identity provider is picked up.
   */
  default void keyMissing() {}

  /** Why there are no keys, when the set is empty because it could not be read; else null. */
  default @Nullable String problem() {
    return null;
  }

  @Override
  default void close() {}
}
