package io.meshgate.audit.store;

import com.fasterxml.jackson.databind.node.TextNode;
import io.meshgate.audit.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a stored row's position columns (entity, source LSN, canonical key) against what its
 * hashed entry says, on the entry's bytes and without parsing them. Run on entries whose chain hash
 * held, which are therefore exactly what {@code EntryCodec} wrote: members in RFC 8785 order,
 * {@code ..."entity":"<e>","format":"meshgate.audit-entry","formatVersion":1,"key":{...},
 * "lsn":"<n>","op":"<o>","product":...}. The columns hold the position iff the entry's bytes just
 * before {@code ,"op":} are exactly those the columns give. The canonical form of a JSON value is
 * unique, so comparing bytes is comparing values (a key column rewritten into another, equal, form
 * is reported too: the appender only ever writes the canonical one).
 *
 * <p>Keeps the canonical form of every entity name it met; not thread-safe.
 */
final class PositionCheck {

  private static final byte[] ENTITY = ascii("\"entity\":");
  private static final byte[] FORMAT_TO_KEY =
      ascii(",\"format\":\"meshgate.audit-entry\",\"formatVersion\":1,\"key\":");
  private static final byte[] LSN = ascii(",\"lsn\":\"");
  private static final byte[] OP = ascii("\",\"op\":\"");

  /** Canonical JSON strings of the entity names met so far; a product has a handful. */
  private final Map<String, byte[]> entities = new HashMap<>();

  private String lastEntity = "";
  private byte[] lastName = new byte[0];

  /**
   * True iff the entry in {@code bytes} from {@code start} says entity {@code entity}, LSN {@code
   * lsn} and key {@code canonicalKey}.
   */
  boolean matches(byte[] bytes, int start, String entity, long lsn, byte[] canonicalKey) {
    int op = lastIndexOfOp(bytes, start);
    if (op < 0 || lsn < 0) {
      return false;
    }
    // the LSN's digits end where the op member begins; read them back to front (no division)
    int at = op;
    long value = 0;
    long scale = 1;
    int digitCount = 0;
    while (at - 1 >= start && bytes[at - 1] >= '0' && bytes[at - 1] <= '9' && digitCount < 19) {
      value += (bytes[--at] - '0') * scale;
      scale *= 10;
      digitCount++;
    }
    if (digitCount == 0 || value != lsn || (digitCount > 1 && bytes[at] == '0')) {
      return false;
    }
    at -= LSN.length;
    if (at < start || !regionEquals(bytes, at, LSN, 0, LSN.length)) {
      return false;
    }
    at -= canonicalKey.length;
    if (at < start || !regionEquals(bytes, at, canonicalKey, 0, canonicalKey.length)) {
      return false;
    }
    at -= FORMAT_TO_KEY.length;
    if (at < start || !regionEquals(bytes, at, FORMAT_TO_KEY, 0, FORMAT_TO_KEY.length)) {
      return false;
    }
    byte[] name = canonicalName(entity);
    at -= name.length;
    if (at < start || !regionEquals(bytes, at, name, 0, name.length)) {
      return false;
    }
    at -= ENTITY.length;
    return at > start && regionEquals(bytes, at, ENTITY, 0, ENTITY.length) && bytes[at - 1] == ',';
  }

  /** The canonical JSON string of {@code entity}; rows of one entity mostly follow each other. */
  private byte[] canonicalName(String entity) {
    if (!entity.equals(lastEntity)) {
      lastEntity = entity;
      lastName = entities.computeIfAbsent(entity, e -> CanonicalJson.encode(TextNode.valueOf(e)));
    }
    return lastName;
  }

  /**
   * Where the last {@code ","op":"} of the entry starts: nothing after it (op code, product, seq,
   * txId) can hold a quote, so the last one is the member itself.
   */
  private static int lastIndexOfOp(byte[] bytes, int start) {
    for (int at = bytes.length - OP.length; at >= start; at--) {
      // 'o' and 'p' are rarer than the quotes around them: test them first
      if (bytes[at + 4] == 'p'
          && bytes[at + 3] == 'o'
          && regionEquals(bytes, at, OP, 0, OP.length)) {
        return at;
      }
    }
    return -1;
  }

  private static boolean regionEquals(byte[] a, int aFrom, byte[] b, int bFrom, int length) {
    return Arrays.equals(a, aFrom, aFrom + length, b, bFrom, bFrom + length);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
