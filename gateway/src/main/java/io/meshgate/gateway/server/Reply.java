package io.meshgate.gateway.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP answer of the gateway, built before it is written.
 *
 * @param status the HTTP status
 * @param headers response headers besides {@code Content-Length} and {@code Connection}
 * @param body the body; empty for none
 * @param close whether the connection closes after this answer (a request refused before its body
 *     was read, whose rest would otherwise be taken for the next request)
 */
record Reply(int status, Map<String, String> headers, byte[] body, boolean close) {

  private static final byte[] EMPTY = new byte[0];

  Reply {
    headers = Map.copyOf(headers);
  }

  /** A bodiless answer, such as {@code 404} or a redirect. */
  static Reply empty(int status) {
    return new Reply(status, Map.of(), EMPTY, false);
  }

  /** {@code body} as {@code contentType}. */
  static Reply of(int status, String contentType, byte[] body) {
    return new Reply(status, Map.of("Content-Type", contentType), body, false);
  }

  /** The same answer with one more header. */
  Reply withHeader(String name, String value) {
    return withHeaders(Map.of(name, value));
  }

  /** The same answer with these headers too. */
  Reply withHeaders(Map<String, String> more) {
    if (more.isEmpty()) {
      return this;
    }
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new Reply(status, all, body, close);
  }

  /** The same answer, closing its connection afterwards. */
  Reply closing() {
    return new Reply(status, headers, body, true);
  }
}
