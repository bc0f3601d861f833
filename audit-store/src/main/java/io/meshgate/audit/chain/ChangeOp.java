package io.meshgate.audit.chain;

/** The kind of a change, with its one-letter code in change events and audit entries. */
public enum ChangeOp {
  CREATE("c"),
  UPDATE("u"),
  DELETE("d"),
  /** A row read by the initial snapshot. */
  READ("r");

  private final String code;

  ChangeOp(String code) {
    this.code = code;
  }

  /** The one-letter code. */
  public String code() {
    return code;
  }

  /**
   * The operation for a one-letter code.
   *
   * @throws IllegalArgumentException if the code is not c, u, d or r
   */
  public static ChangeOp ofCode(String code) {
    return switch (code) {
      case "c" -> CREATE;
      case "u" -> UPDATE;
      case "d" -> DELETE;
      case "r" -> READ;
      default ->
          throw new IllegalArgumentException(
              "unknown change op '" + code + "' (expected c, u, d or r)");
    };
  }
}
