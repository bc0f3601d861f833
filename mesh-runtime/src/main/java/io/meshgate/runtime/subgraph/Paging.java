package io.meshgate.runtime.subgraph;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Cursor pagination as every product's subgraph does it: pages ordered by id, opaque cursors that
 * name what they page through, and one limit on page size, each bad argument an error naming it.
 */
public final class Paging {

  /** The largest page a client may ask for. */
  public static final int MAX_PAGE = 500;

  private Paging() {}

  /** Checks the {@code first} argument. */
  public static int first(int first) {
    if (first < 0 || first > MAX_PAGE) {
      throw new InvalidInputException(
          "first", "must be between 0 and " + MAX_PAGE + " (got " + first + ")");
    }
    return first;
  }

  /** The opaque cursor of the row with {@code id} in a list of {@code kind} (e.g. customer). */
  public static String encodeCursor(String kind, UUID id) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + ":" + id).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The id a cursor points at.
   *
   * @param list the field that returned the cursor, for the error message (e.g. customers)
   * @throws InvalidInputException naming {@code after} when the cursor is not one of {@code kind}
   */
  public static UUID decodeCursor(String kind, String cursor, String list) {
    String prefix = kind + ":";
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (!text.startsWith(prefix)) {
        throw new IllegalArgumentException(text);
      }
      return UUID.fromString(text.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "after",
          "'" + cursor + "' is not a cursor returned by " + list + " (use pageInfo.endCursor)");
    }
  }
}
