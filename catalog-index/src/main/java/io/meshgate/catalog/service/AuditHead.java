package io.meshgate.catalog.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The latest signed head of a product's audit log, as the audit store publishes it on {@code
 * mesh.audit.heads} (format {@value #FORMAT}, version {@value #FORMAT_VERSION}; fields beyond these
 * are tolerated).
 *
 * @param product the product whose log it is
 * @param treeSize number of entries the head covers
 * @param rootHash Merkle tree root over those entries
 * @param signedAt when the head was signed
 * @param signature the Ed25519 signature over the head (base64)
 * @param keyId id of the key that verifies the signature (SHA-256 of its DER encoding), when given
 */
public record AuditHead(
    String product,
    long treeSize,
    String rootHash,
    Instant signedAt,
    String signature,
    @Nullable String keyId) {

  /** Name of the persistent format this is read from. */
  public static final String FORMAT = "meshgate.audit-head";

  /** Version of the persistent format this reads. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads one head from its JSON.
   *
   * @throws InvalidAuditHeadException naming every problem when the value is not such a head
   */
  public static AuditHead parse(byte[] value) throws InvalidAuditHeadException {
    JsonNode json;
    try {
      json = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new InvalidAuditHeadException(List.of("$: not JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidAuditHeadException(List.of("$: unreadable: " + e.getMessage()));
    }
    if (json == null || !json.isObject()) {
      throw new InvalidAuditHeadException(List.of("$: expected a JSON object"));
    }
    List<String> problems = new ArrayList<>();
    if (!FORMAT.equals(json.path("format").asText(null))) {
      problems.add("$.format: expected '" + FORMAT + "'");
    }
    if (json.path("formatVersion").asInt(-1) != FORMAT_VERSION) {
      problems.add("$.formatVersion: expected " + FORMAT_VERSION);
    }
    String product = text(json, "product", problems);
    String rootHash = text(json, "rootHash", problems);
    String signature = text(json, "signature", problems);
    JsonNode size = json.path("treeSize");
    if (!size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
      problems.add("$.treeSize: expected a non-negative integer");
    }
    Instant signedAt = instant(json.path("timestamp"), problems);
    if (!problems.isEmpty()) {
      throw new InvalidAuditHeadException(problems);
    }
    JsonNode keyId = json.path("keyId");
    return new AuditHead(
        product,
        size.asLong(),
        rootHash,
        signedAt,
        signature,
        keyId.isTextual() ? keyId.asText() : null);
  }

  private static String text(JsonNode json, String field, List<String> problems) {
    JsonNode node = json.path(field);
    if (!node.isTextual() || node.asText().isBlank()) {
      problems.add("$." + field + ": expected a non-empty string");
      return "";
    }
    return node.asText();
  }

  /** ISO-8601 text, or epoch milliseconds. */
  private static Instant instant(JsonNode node, List<String> problems) {
    if (node.isIntegralNumber()) {
      return Instant.ofEpochMilli(node.asLong());
    }
    if (node.isTextual()) {
      try {
        return Instant.parse(node.asText());
      } catch (DateTimeParseException e) {
        problems.add("$.timestamp: not an ISO-8601 instant: " + node.asText());
        return Instant.EPOCH;
      }
    }
    problems.add("$.timestamp: expected an ISO-8601 instant or epoch milliseconds");
    return Instant.EPOCH;
  }

  /** A {@code mesh.audit.heads} value that is not an audit head; names every problem. */
  public static final class InvalidAuditHeadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidAuditHeadException(List<String> problems) {
      super("invalid audit head: " + String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    /** Each problem, naming its JSON path. */
    public List<String> problems() {
      return problems;
    }
  }
}
