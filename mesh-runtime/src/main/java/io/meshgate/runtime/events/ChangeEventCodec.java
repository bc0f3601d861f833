package io.meshgate.runtime.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.runtime.topics.EventSchemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Encodes change events to their JSON envelope and decodes them back, validating against the
 * entity's JSON Schema on the way in. Thread-safe.
 */
public final class ChangeEventCodec {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final EventSchemas schemas;

  public ChangeEventCodec(EventSchemas schemas) {
    this.schemas = schemas;
  }

  /** The event as its JSON envelope. */
  public ObjectNode toJson(ChangeEvent event) {
    ObjectNode node = NODES.objectNode();
    node.put("format", ChangeEvent.FORMAT);
    node.put("formatVersion", ChangeEvent.FORMAT_VERSION);
    node.put("schemaVersion", event.schemaVersion());
    node.put("product", event.product());
    node.put("entity", event.entity());
    node.set("key", event.key());
    node.put("op", event.op().code());
    node.set("before", event.before() == null ? NODES.nullNode() : event.before());
    node.set("after", event.after() == null ? NODES.nullNode() : event.after());
    ObjectNode source = node.putObject("source");
    source.put("lsn", event.source().lsn());
    if (event.source().txId() == null) {
      source.putNull("txId");
    } else {
      source.put("txId", event.source().txId());
    }
    source.put("commitTime", event.source().commitTime().toString());
    source.put("snapshot", event.source().snapshot());
    if (event.capturedAt() != null) {
      node.put("capturedAt", event.capturedAt().toString());
    }
    return node;
  }

  /** The event as UTF-8 JSON bytes. */
  public byte[] encode(ChangeEvent event) {
    return toJson(event).toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Checks an encoded event against its schema without decoding it. */
  public List<String> violations(String schemaResource, JsonNode event) {
    return schemas.violations(schemaResource, event);
  }

  /**
   * Parses and validates one event.
   *
   * @param schemaResource the entity's JSON Schema on the classpath
   * @param payload the raw record value (may be null for a tombstone, which is invalid here)
   * @throws InvalidEventException naming every problem when the payload is not a valid event
   */
  public ChangeEvent decode(String schemaResource, byte @Nullable [] payload)
      throws InvalidEventException {
    if (payload == null) {
      throw new InvalidEventException(
          List.of("$: record has no value (tombstone), expected a change event"));
    }
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(List.of("$: not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidEventException(List.of("$: unreadable: " + e.getMessage()));
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidEventException(List.of("$: empty payload, expected a change event"));
    }
    List<String> violations = schemas.violations(schemaResource, node);
    if (!violations.isEmpty()) {
      throw new InvalidEventException(violations);
    }
    return fromValidJson((ObjectNode) node);
  }

  private static ChangeEvent fromValidJson(ObjectNode node) throws InvalidEventException {
    JsonNode source = node.get("source");
    Instant commitTime;
    try {
      commitTime = Instant.parse(source.get("commitTime").asText());
    } catch (DateTimeParseException e) {
      throw new InvalidEventException(
          List.of("$.source.commitTime: not an ISO-8601 instant: " + e.getParsedString()));
    }
    JsonNode txId = source.get("txId");
    JsonNode capturedAt = node.get("capturedAt");
    return new ChangeEvent(
        node.get("product").asText(),
        node.get("entity").asText(),
        node.get("schemaVersion").asInt(),
        (ObjectNode) node.get("key"),
        ChangeOp.ofCode(node.get("op").asText()),
        objectOrNull(node.get("before")),
        objectOrNull(node.get("after")),
        new SourcePosition(
            source.get("lsn").asLong(),
            txId == null || txId.isNull() ? null : txId.asLong(),
            commitTime,
            source.get("snapshot").asBoolean()),
        capturedAt == null ? null : parseInstantOrNull(capturedAt.asText()));
  }

  private static @Nullable ObjectNode objectOrNull(@Nullable JsonNode node) {
    return node instanceof ObjectNode object ? object : null;
  }

  private static @Nullable Instant parseInstantOrNull(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
