package io.meshgate.launcher.fuzz;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One generated HTTP request, exactly as it is sent.
 *
 * @param category what kind of attack it is
 * @param variant the particular shape within the category, for reports
 * @param method {@code GET} or {@code POST}
 * @param contentType the {@code Content-Type} header; null sends none
 * @param accept the {@code Accept} header; null sends none
 * @param rawQuery the already encoded query string of the URL; empty for none
 * @param body the request body (empty for GET)
 */
public record FuzzRequest(
    Category category,
    String variant,
    String method,
    @Nullable String contentType,
    @Nullable String accept,
    String rawQuery,
    byte[] body) {

  /** A short, printable excerpt of what was sent: control characters escaped, long parts cut. */
  public String preview(int max) {
    StringBuilder out = new StringBuilder();
    out.append('[')
        .append(category)
        .append(": ")
        .append(variant)
        .append("] ")
        .append(method)
        .append(' ');
    if (!rawQuery.isEmpty()) {
      out.append('?').append(excerpt(rawQuery, max / 2)).append(' ');
    }
    out.append("Content-Type: ").append(contentType == null ? "(none)" : contentType);
    if (body.length > 0) {
      out.append(", body ")
          .append(body.length)
          .append(" bytes: ")
          .append(excerpt(new String(body, StandardCharsets.UTF_8), max));
    }
    return out.toString();
  }

  /**
   * {@code text} with control characters and surrogates escaped, cut to about {@code max}
   * characters.
   */
  static String excerpt(String text, int max) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\ufffd') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (i < text.length()) {
      out.append("... (").append(text.length() - i).append(" more chars)");
    }
    return out.toString();
  }
}
