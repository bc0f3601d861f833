package io.meshgate.audit.proof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.AuditEntry;
import io.meshgate.audit.chain.EntryCodec;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.json.CanonicalJson;
import io.meshgate.audit.merkle.ConsistencyProof;
import io.meshgate.audit.merkle.InclusionProof;
import io.meshgate.audit.sign.SignedTreeHead;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The JSON form of audit proofs: format {@value #FORMAT}, version {@value #FORMAT_VERSION}.
 *
 * <p>An entry inclusion proof:
 *
 * <pre>{@code
 * {"format":"meshgate.audit.proof","formatVersion":1,"kind":"inclusion",
 *  "entry":{...the entry, format meshgate.audit-entry...},
 *  "previousHash":"<64 hex digits>",
 *  "leafIndex":42,"treeSize":100,"path":["<hex>",...],
 *  "treeHead":{"product":"sales","treeSize":100,"rootHash":"<hex>",
 *              "timestamp":"2026-11-27T01:00:00.123Z","signature":"<base64 Ed25519>"}}
 * }</pre>
 *
 * <p>A consistency proof between two heads of one product:
 *
 * <pre>{@code
 * {"format":"meshgate.audit.proof","formatVersion":1,"kind":"consistency",
 *  "firstHead":{...},"secondHead":{...},"path":["<hex>",...]}
 * }</pre>
 *
 * <p>The entry's chain hash is {@code SHA-256(previousHash || canonical JSON of entry)} (RFC 8785),
 * its Merkle leaf hash {@code SHA-256(0x00 || chain hash)}, and a head's signature covers the
 * canonical JSON described at {@link SignedTreeHead}. Readers refuse other formats and versions.
 */
public final class ProofJson {

  /** Name of the proof format. */
  public static final String FORMAT = "meshgate.audit.proof";

  /** Version of the proof format. */
  public static final int FORMAT_VERSION = 1;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private ProofJson() {}

  /** The proof as a JSON document. */
  public static ObjectNode toJson(AuditProof proof) {
    ObjectNode node = NODES.objectNode();
    node.put("format", FORMAT);
    node.put("formatVersion", FORMAT_VERSION);
    switch (proof) {
      case EntryInclusion inclusion -> {
        node.put("kind", "inclusion");
        node.set("entry", parse(EntryCodec.encode(inclusion.entry())));
        node.put("previousHash", inclusion.previousHash().hex());
        node.put("leafIndex", inclusion.inclusion().leafIndex());
        node.put("treeSize", inclusion.inclusion().treeSize());
        node.set("path", hashes(inclusion.inclusion().path()));
        node.set("treeHead", head(inclusion.head()));
      }
      case HeadConsistency consistency -> {
        node.put("kind", "consistency");
        node.set("firstHead", head(consistency.first()));
        node.set("secondHead", head(consistency.second()));
        node.set("path", hashes(consistency.consistency().path()));
      }
    }
    return node;
  }

  /** The proof as indented JSON text, as written to a file. */
  public static String toText(AuditProof proof) {
    try {
      return JSON.writeValueAsString(toJson(proof)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of JSON nodes always serialises", e);
    }
  }

  /**
   * Reads a proof document.
   *
   * @throws IllegalArgumentException naming the first field that is missing or malformed
   */
  public static AuditProof parse(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return fromJson(node);
  }

  /**
   * Reads a proof from its JSON document.
   *
   * @throws IllegalArgumentException naming the first field that is missing or malformed
   */
  public static AuditProof fromJson(JsonNode node) {
    String format = node.path("format").asText();
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(
          "$.format: expected \"" + FORMAT + "\", got " + node.get("format"));
    }
    if (node.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "$.formatVersion: this verifier reads version "
              + FORMAT_VERSION
              + ", got "
              + node.get("formatVersion"));
    }
    String kind = node.path("kind").asText();
    return switch (kind) {
      case "inclusion" -> {
        AuditEntry entry;
        try {
          entry = EntryCodec.decode(CanonicalJson.encode(required(node, "entry")));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("$.entry: " + e.getMessage(), e);
        }
        InclusionProof inclusion =
            new InclusionProof(
                longValue(node, "leafIndex", "$"),
                longValue(node, "treeSize", "$"),
                hashList(node, "path"));
        yield new EntryInclusion(
            entry,
            hash(node, "previousHash", "$"),
            inclusion,
            head(required(node, "treeHead"), "$.treeHead"));
      }
      case "consistency" -> {
        SignedTreeHead first = head(required(node, "firstHead"), "$.firstHead");
        SignedTreeHead second = head(required(node, "secondHead"), "$.secondHead");
        if (first.treeSize() > second.treeSize()) {
          throw new IllegalArgumentException(
              "$.firstHead.treeSize: "
                  + first.treeSize()
                  + " is larger than $.secondHead.treeSize "
                  + second.treeSize());
        }
        yield new HeadConsistency(
            first,
            second,
            new ConsistencyProof(first.treeSize(), second.treeSize(), hashList(node, "path")));
      }
      default ->
          throw new IllegalArgumentException(
              "$.kind: expected \"inclusion\" or \"consistency\", got " + node.get("kind"));
    };
  }

  private static ObjectNode head(SignedTreeHead head) {
    ObjectNode node = NODES.objectNode();
    node.put("product", head.product());
    node.put("treeSize", head.treeSize());
    node.put("rootHash", head.rootHash().hex());
    node.put("timestamp", head.timestamp().toString());
    node.put("signature", head.signatureBase64());
    return node;
  }

  private static SignedTreeHead head(JsonNode node, String at) {
    Instant timestamp;
    try {
      timestamp = Instant.parse(text(node, "timestamp", at));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(at + ".timestamp: not an ISO-8601 instant", e);
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(text(node, "signature", at));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + ".signature: not base64", e);
    }
    return new SignedTreeHead(
        text(node, "product", at),
        longValue(node, "treeSize", at),
        hash(node, "rootHash", at),
        timestamp,
        signature);
  }

  private static ArrayNode hashes(List<Hash> hashes) {
    ArrayNode array = NODES.arrayNode();
    hashes.forEach(hash -> array.add(hash.hex()));
    return array;
  }

  private static List<Hash> hashList(JsonNode node, String field) {
    JsonNode array = required(node, field);
    if (!array.isArray()) {
      throw new IllegalArgumentException("$." + field + ": expected an array of hex hashes");
    }
    List<Hash> hashes = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        hashes.add(Hash.ofHex(array.get(i).asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("$." + field + "[" + i + "]: " + e.getMessage(), e);
      }
    }
    return hashes;
  }

  private static Hash hash(JsonNode node, String field, String at) {
    try {
      return Hash.ofHex(text(node, field, at));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + "." + field + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("$." + field + ": missing");
    }
    return value;
  }

  private static String text(JsonNode node, String field, String at) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(at + "." + field + ": expected a string, got " + value);
    }
    return value.textValue();
  }

  private static long longValue(JsonNode node, String field, String at) {
    JsonNode value = node.get(field);
    if (value == null
        || !value.canConvertToExactIntegral()
        || !value.canConvertToLong()
        || value.longValue() < 0) {
      throw new IllegalArgumentException(
          at + "." + field + ": expected a non-negative integer, got " + value);
    }
    return value.longValue();
  }

  private static JsonNode parse(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("canonical JSON always parses", e);
    }
  }
}
