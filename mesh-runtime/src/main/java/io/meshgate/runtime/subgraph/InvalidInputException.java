package io.meshgate.runtime.subgraph;

/**
 * Input a client sent that cannot be accepted; becomes a GraphQL error naming the field, and
 * nothing is written.
 */
public final class InvalidInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;
  private final String code;

  /**
   * @param field path of the offending argument or input field, e.g. {@code input.email}
   * @param message what is wrong, for a person
   */
  public InvalidInputException(String field, String message) {
    this(field, message, "BAD_USER_INPUT");
  }

  public InvalidInputException(String field, String message, String code) {
    super(field + ": " + message);
    this.field = field;
    this.code = code;
  }

  /** Path of the offending argument or input field. */
  public String field() {
    return field;
  }

  /** Machine-readable error code, e.g. {@code BAD_USER_INPUT} or {@code NOT_FOUND}. */
  public String code() {
    return code;
  }
}
