package io.meshgate.audit.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.sign.SignedTreeHead;
import java.nio.charset.StandardCharsets;

/**
 * A signed tree head as published on {@value #TOPIC}: format {@value #FORMAT}, version {@value
 * #FORMAT_VERSION} (JSON Schema {@code meshgate/audit/audit-head.v1.schema.json}), keyed by
 * product.
 *
 * <pre>{@code
 * {"format":"meshgate.audit-head","formatVersion":1,"product":"sales","treeSize":100,
 *  "rootHash":"<64 hex digits>","timestamp":"2026-11-27T01:00:00.123Z",
 *  "signature":"<base64 Ed25519>","keyId":"<64 hex digits: SHA-256 of the public key's DER>"}
 * }</pre>
 *
 * <p>The signature covers the head's canonical payload described at {@link SignedTreeHead}, which a
 * reader rebuilds from {@code product}, {@code treeSize}, {@code rootHash} and {@code timestamp}.
 */
public final class AuditHeadJson {

  /** The compacted topic of every product's latest signed head. */
  public static final String TOPIC = "mesh.audit.heads";

  /** Name of the published format. */
  public static final String FORMAT = "meshgate.audit-head";

  /** Version of the published format. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditHeadJson() {}

  /** The head as a JSON tree. */
  public static ObjectNode toJson(SignedTreeHead head, String keyId) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", FORMAT);
    node.put("formatVersion", FORMAT_VERSION);
    node.put("product", head.product());
    node.put("treeSize", head.treeSize());
    node.put("rootHash", head.rootHash().hex());
    node.put("timestamp", head.timestamp().toString());
    node.put("signature", head.signatureBase64());
    node.put("keyId", keyId);
    return node;
  }

  /** The head as UTF-8 JSON bytes, as published. */
  public static byte[] toBytes(SignedTreeHead head, String keyId) {
    try {
      return JSON.writeValueAsString(toJson(head, keyId)).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }
}
