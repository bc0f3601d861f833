package io.meshgate.gateway.auth;

/**
 * A request whose caller could not be authenticated: no token where one is required, or a token
 * that is malformed, badly signed, expired, not yet valid, or meant for someone else. The message
 * says which, for the {@code 401} answer.
 */
public final class AuthenticationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean tokenPresented;

  AuthenticationException(String message, boolean tokenPresented) {
    super(message, null, false, false);
    this.tokenPresented = tokenPresented;
  }

  /**
   * True when a token was presented and refused ({@code error="invalid_token"} in {@code
   * WWW-Authenticate}); false when none was presented or the header was not a bearer token.
   */
  public boolean tokenPresented() {
    return tokenPresented;
  }
}
