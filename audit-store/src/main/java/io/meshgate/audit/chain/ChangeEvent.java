package io.meshgate.audit.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One change of one row of a product, as the audit log receives it from the product's change topic
 * ({@code mesh.<product>.<entity>.changes}, envelope {@code meshgate.change-event} version 1).
 *
 * <p>The JSON values are held as given and must not be modified afterwards.
 *
 * @param product owning product
 * @param entity entity (operational table)
 * @param key primary key of the row
 * @param op kind of change
 * @param before the row before the change (null for inserts and snapshot reads)
 * @param after the row after the change (null for deletes)
 * @param source position in the source write-ahead log
 */
public record ChangeEvent(
    String product,
    String entity,
    ObjectNode key,
    ChangeOp op,
    @Nullable ObjectNode before,
    @Nullable ObjectNode after,
    SourcePosition source) {

  /** The envelope format this record is read from. */
  public static final String ENVELOPE_FORMAT = "meshgate.change-event";

  private static final Pattern PRODUCT = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern ENTITY = Pattern.compile("[a-z][a-z0-9_]*");

  public ChangeEvent {
    requireMatches(PRODUCT, product, "product");
    requireMatches(ENTITY, entity, "entity");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(source, "source");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must name at least one column");
    }
  }

  /** PostgreSQL's identifier length, which product and entity names must fit. */
  private static final int MAX_NAME_LENGTH = 63;

  private static void requireMatches(Pattern pattern, String value, String what) {
    Objects.requireNonNull(value, what);
    if (!pattern.matcher(value).matches() || value.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' does not match "
              + pattern.pattern()
              + " in at most "
              + MAX_NAME_LENGTH
              + " characters");
    }
  }

  /**
   * Reads a change event from its mesh envelope (as published on a change topic and already checked
   * against its JSON Schema by the producer).
   *
   * @throws IllegalArgumentException naming the first missing or malformed field
   */
  public static ChangeEvent fromEnvelope(JsonNode envelope) {
    String format = text(envelope, "format");
    if (!ENVELOPE_FORMAT.equals(format)) {
      throw new IllegalArgumentException(
          "$.format: expected " + ENVELOPE_FORMAT + ", got " + format);
    }
    if (envelope.path("formatVersion").asInt(-1) != 1) {
      throw new IllegalArgumentException(
          "$.formatVersion: only version 1 is understood, got " + envelope.get("formatVersion"));
    }
    JsonNode source = envelope.path("source");
    JsonNode lsn = source.path("lsn");
    if (!lsn.canConvertToLong()) {
      throw new IllegalArgumentException("$.source.lsn: expected an integer, got " + lsn);
    }
    JsonNode txId = source.path("txId");
    Instant commitTime;
    try {
      commitTime = Instant.parse(text(source, "commitTime"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("$.source.commitTime: not an ISO-8601 instant", e);
    }
    if (!(envelope.get("key") instanceof ObjectNode key)) {
      throw new IllegalArgumentException("$.key: expected an object");
    }
    return new ChangeEvent(
        text(envelope, "product"),
        text(envelope, "entity"),
        key,
        ChangeOp.ofCode(text(envelope, "op")),
        envelope.get("before") instanceof ObjectNode before ? before : null,
        envelope.get("after") instanceof ObjectNode after ? after : null,
        new SourcePosition(
            lsn.longValue(), txId.canConvertToLong() ? txId.longValue() : null, commitTime));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("$." + field + ": expected a string, got " + value);
    }
    return value.textValue();
  }
}
