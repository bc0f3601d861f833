package io.meshgate.runtime.events;

/** The kind of a change, with its one-letter code in the event envelope. */
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

  /** The one-letter code used in the envelope. */
  public String code() {
    return code;
  }

  /** The operation for a one-letter code. */
  public static ChangeOp ofCode(String code) {
    for (ChangeOp op : values()) {
      if (op.code.equals(code)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown change op '" + code + "' (expected c, u, d or r)");
  }
}
