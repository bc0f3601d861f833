package io.meshgate.catalog.search;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in a result list that survives merges: the last hit's score and its stable id (never a
 * Lucene doc id, which merges change). Opaque to clients, versioned for the server.
 *
 * @param score score of the last hit
 * @param id id of the last hit
 */
record Cursor(float score, String id) {

  private static final byte VERSION = 1;

  String encode() {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(1 + Float.BYTES + idBytes.length);
    buffer.put(VERSION).putFloat(score).put(idBytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
  }

  static Cursor decode(String cursor) throws InvalidQueryException {
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException("malformed cursor 'after': not one this catalog returned");
    }
    if (bytes.length <= 1 + Float.BYTES || bytes[0] != VERSION) {
      throw new InvalidQueryException("malformed cursor 'after': not one this catalog returned");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.get();
    float score = buffer.getFloat();
    String id =
        new String(bytes, 1 + Float.BYTES, bytes.length - 1 - Float.BYTES, StandardCharsets.UTF_8);
    return new Cursor(score, id);
  }
}
