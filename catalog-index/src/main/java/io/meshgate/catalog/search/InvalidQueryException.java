package io.meshgate.catalog.search;

/**
 * A search the catalog cannot run because of what the user asked: a malformed query string, an
 * unknown filter or a broken cursor. The message names the problem (and its column, for syntax) and
 * is meant for the user.
 */
public final class InvalidQueryException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int column;

  /** A problem at {@code column} (1-based) of the query, or -1 when it has no position. */
  public InvalidQueryException(String message, int column) {
    super(message);
    this.column = column;
  }

  /** A problem without a position in the query. */
  public InvalidQueryException(String message) {
    this(message, -1);
  }

  /** 1-based column of the query where the problem is, or -1. */
  public int column() {
    return column;
  }
}
