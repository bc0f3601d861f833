package io.meshgate.audit.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes JSON values in their RFC 8785 canonical form (JCS) as UTF-8 bytes: object members sorted
 * by their names' UTF-16 code units, no whitespace, strings with the minimal escapes of
 * ECMAScript's {@code JSON.stringify}, and every number as the IEEE 754 double it denotes,
 * formatted like ECMAScript's {@code Number.prototype.toString}.
 *
 * <p>Numbers follow I-JSON: an integer beyond 2^53 is rounded to the nearest double, exactly as any
 * RFC 8785 implementation does, so values that must stay exact (such as 64-bit LSNs) belong in
 * strings. NaN, infinities and lone surrogates have no canonical form and are rejected.
 *
 * <p>An instance reuses one growing buffer: not thread-safe, meant to be kept per thread or per
 * run. The static {@link #encode(JsonNode)} is the convenient, allocating form.
 */
public final class CanonicalJson {

  private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
  private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

  /** Integers of at most this magnitude are exact doubles and print as themselves. */
  private static final long MAX_EXACT_INTEGER = 1L << 53;

  private byte[] buffer = new byte[512];
  private int length;

  /** The canonical UTF-8 bytes of {@code value}. */
  public static byte[] encode(JsonNode value) {
    CanonicalJson writer = new CanonicalJson();
    writer.value(value);
    return writer.toByteArray();
  }

  /** The canonical form of {@code value} as a string. */
  public static String encodeToString(JsonNode value) {
    return new String(encode(value), StandardCharsets.UTF_8);
  }

  /**
   * The canonical form of a finite double, as ECMAScript prints it ({@code 1e+21}, {@code
   * 0.000001}, {@code 5e-324}, {@code 0} for negative zero).
   *
   * @throws IllegalArgumentException for NaN and infinities
   */
  public static String formatNumber(double value) {
    CanonicalJson writer = new CanonicalJson();
    writer.number(value);
    return new String(writer.buffer, 0, writer.length, StandardCharsets.US_ASCII);
  }

  /** Empties the buffer for the next value. */
  public CanonicalJson reset() {
    length = 0;
    return this;
  }

  /** Number of bytes written since the last {@link #reset()}. */
  public int length() {
    return length;
  }

  /** The buffer holding {@link #length()} written bytes; valid until the next write. */
  public byte[] buffer() {
    return buffer;
  }

  /** A copy of the bytes written since the last {@link #reset()}. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, length);
  }

  /** Appends raw bytes (for a prefix that is hashed together with the JSON). */
  public CanonicalJson raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
    return this;
  }

  /** Appends one structural character: {@code { } [ ] : ,}. */
  public CanonicalJson punct(char c) {
    ensure(1);
    buffer[length++] = (byte) c;
    return this;
  }

  /** Appends {@code "name":}; callers writing objects member by member keep the canonical order. */
  public CanonicalJson name(String name) {
    string(name);
    return punct(':');
  }

  /** Appends {@code null}. */
  public CanonicalJson nullValue() {
    return raw(NULL);
  }

  /**
   * Appends any JSON value in canonical form.
   *
   * @throws IllegalArgumentException if the value has no canonical form (binary or POJO nodes, NaN,
   *     infinities, lone surrogates)
   */
  public CanonicalJson value(JsonNode node) {
    switch (node.getNodeType()) {
      case OBJECT -> object(node);
      case ARRAY -> array(node);
      case STRING -> string(node.textValue());
      case NUMBER -> number(node);
      case BOOLEAN -> raw(node.booleanValue() ? TRUE : FALSE);
      case NULL -> raw(NULL);
      case BINARY, POJO, MISSING ->
          throw new IllegalArgumentException("no JSON form for a " + node.getNodeType() + " node");
    }
    return this;
  }

  private void object(JsonNode node) {
    int size = node.size();
    punct('{');
    if (size == 1) {
      Map.Entry<String, JsonNode> only = node.properties().iterator().next();
      name(only.getKey());
      value(only.getValue());
    } else if (size > 1) {
      List<Map.Entry<String, JsonNode>> members = new ArrayList<>(size);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          it.hasNext(); ) {
        members.add(it.next());
      }
      // String.compareTo compares UTF-16 code units, which is exactly RFC 8785's member order.
      members.sort(Map.Entry.comparingByKey());
      boolean first = true;
      for (Map.Entry<String, JsonNode> member : members) {
        if (!first) {
          punct(',');
        }
        first = false;
        name(member.getKey());
        value(member.getValue());
      }
    }
    punct('}');
  }

  private void array(JsonNode node) {
    punct('[');
    boolean first = true;
    for (JsonNode element : node) {
      if (!first) {
        punct(',');
      }
      first = false;
      value(element);
    }
    punct(']');
  }

  private void number(JsonNode node) {
    if (node.canConvertToExactIntegral() && node.canConvertToLong()) {
      number(node.longValue());
    } else {
      number(node.doubleValue());
    }
  }

  /** Appends an integer as the double it denotes. */
  public CanonicalJson number(long value) {
    if (value >= -MAX_EXACT_INTEGER && value <= MAX_EXACT_INTEGER) {
      return ascii(Long.toString(value));
    }
    return number((double) value);
  }

  /** Appends a double in ECMAScript's shortest round-trip form. */
  public CanonicalJson number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no canonical form for " + value);
    }
    if (value == 0) {
      return ascii("0"); // also for -0, as ECMAScript prints it
    }
    if (value == Math.rint(value) && Math.abs(value) < MAX_EXACT_INTEGER) {
      return ascii(Long.toString((long) value));
    }
    // Since JDK 19, Double.toString yields the shortest digits that round-trip (JDK-4511638), the
    // same
    // digits ECMAScript chooses; only the layout differs.
    String java = Double.toString(Math.abs(value));
    int e = java.indexOf('E');
    String mantissa = e < 0 ? java : java.substring(0, e);
    int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
    int dot = mantissa.indexOf('.');
    String digits = mantissa.substring(0, dot) + mantissa.substring(dot + 1);
    int pointAt = dot + exponent; // value = 0.digits * 10^pointAt
    int lead = 0;
    while (lead < digits.length() - 1 && digits.charAt(lead) == '0') {
      lead++;
    }
    digits = digits.substring(lead);
    pointAt -= lead;
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    digits = digits.substring(0, end);
    if (digits.length() == 2) {
      // Where one digit would do, Java prints the closest two (4.9E-324); ECMAScript prints one
      // (5e-324).
      String one = closestSingleDigit(Math.abs(value), digits, pointAt);
      if (one != null) {
        pointAt += one.length() - 1;
        digits = one.substring(0, 1);
      }
    }
    return ascii((value < 0 ? "-" : "") + ecmaScriptLayout(digits, pointAt));
  }

  /**
   * The single digit that reads back as {@code value} (positive), closest to it, ties to even;
   * {@code "10"} when rounding up carries into the next power of ten; null when two digits are
   * needed.
   */
  private static @Nullable String closestSingleDigit(double value, String twoDigits, int pointAt) {
    int down = twoDigits.charAt(0) - '0';
    String best = null;
    BigDecimal bestDistance = null;
    BigDecimal exact = new BigDecimal(value);
    for (int candidate = down; candidate <= down + 1; candidate++) {
      BigDecimal decimal = BigDecimal.valueOf(candidate).scaleByPowerOfTen(pointAt - 1);
      if (candidate == 0 || decimal.doubleValue() != value) {
        continue;
      }
      BigDecimal distance = decimal.subtract(exact).abs();
      int order = bestDistance == null ? -1 : distance.compareTo(bestDistance);
      if (order < 0 || (order == 0 && candidate % 2 == 0)) {
        best = Integer.toString(candidate);
        bestDistance = distance;
      }
    }
    return best;
  }

  /** ECMA-262 Number::toString for digits d1..dk and exponent n (value = 0.d1..dk * 10^n). */
  private static String ecmaScriptLayout(String digits, int n) {
    int k = digits.length();
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    int exponent = n - 1;
    String sign = exponent < 0 ? "-" : "+";
    String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return mantissa + "e" + sign + Math.abs(exponent);
  }

  /**
   * Appends a string with RFC 8785's escapes: {@code \"}, {@code \\}, the short forms {@code \b \f
   * \n \r \t}, six-character escapes with lower-case hex for other control characters, everything
   * else as UTF-8.
   *
   * @throws IllegalArgumentException on a lone surrogate, which UTF-8 cannot carry
   */
  public CanonicalJson string(String text) {
    int n = text.length();
    // Worst case: six bytes per character (a control character escape), plus the quotes.
    ensure(n * 6 + 2);
    byte[] out = buffer;
    int at = length;
    out[at++] = '"';
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c != '"' && c != '\\') {
          out[at++] = (byte) c;
          continue;
        }
        length = at;
        escape(c);
        at = length;
        continue;
      }
      if (c < 0x800) {
        out[at++] = (byte) (0xC0 | (c >> 6));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c)
            || i + 1 >= n
            || !Character.isLowSurrogate(text.charAt(i + 1))) {
          throw new IllegalArgumentException(
              "lone surrogate U+"
                  + Integer.toHexString(c).toUpperCase()
                  + " at index "
                  + i
                  + ": not I-JSON");
        }
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out[at++] = (byte) (0xF0 | (cp >> 18));
        out[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        out[at++] = (byte) (0xE0 | (c >> 12));
        out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    out[at++] = '"';
    length = at;
    return this;
  }

  /** Writes the escape of {@code c}; {@link #string(String)} reserved the room for it. */
  private void escape(char c) {
    buffer[length++] = '\\';
    switch (c) {
      case '"' -> buffer[length++] = '"';
      case '\\' -> buffer[length++] = '\\';
      case '\b' -> buffer[length++] = 'b';
      case '\f' -> buffer[length++] = 'f';
      case '\n' -> buffer[length++] = 'n';
      case '\r' -> buffer[length++] = 'r';
      case '\t' -> buffer[length++] = 't';
      default -> {
        buffer[length++] = 'u';
        buffer[length++] = '0';
        buffer[length++] = '0';
        buffer[length++] = HEX_DIGITS[c >> 4];
        buffer[length++] = HEX_DIGITS[c & 0xF];
      }
    }
  }

  private CanonicalJson ascii(String text) {
    int n = text.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buffer[length++] = (byte) text.charAt(i);
    }
    return this;
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
