package io.meshgate.product.cdc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeOp;
import io.meshgate.runtime.events.SourcePosition;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Maps Debezium's Postgres connector envelope (JSON, schemas disabled) to the mesh's change event.
 * Kept apart from the engine wiring so it is testable on recorded payloads.
 */
public final class DebeziumEventMapper {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProductDefinition product;

  public DebeziumEventMapper(ProductDefinition product) {
    this.product = product;
  }

  /**
   * The change event for one Debezium record, or empty for records that carry no row change
   * (tombstones, heartbeats, tables the product does not declare).
   *
   * @throws IllegalArgumentException when the payload is not a Debezium change envelope
   */
  public Optional<ChangeEvent> map(@Nullable String value, Instant capturedAt) {
    if (value == null) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Debezium record is not JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode source = root.get("source");
    JsonNode op = root.get("op");
    if (source == null || op == null) {
      return Optional.empty();
    }
    String table = source.path("schema").asText() + "." + source.path("table").asText();
    Optional<EntityDefinition> entity = product.entityForTable(table);
    if (entity.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode before = objectOrNull(root.get("before"));
    ObjectNode after = objectOrNull(root.get("after"));
    ObjectNode state = after != null ? after : before;
    if (state == null) {
      throw new IllegalArgumentException(
          "Debezium record for " + table + " has neither before nor after");
    }
    ChangeOp changeOp = ChangeOp.ofCode(op.asText());
    return Optional.of(
        new ChangeEvent(
            product.name(),
            entity.get().name(),
            entity.get().schemaVersion(),
            keyOf(entity.get(), state),
            changeOp,
            changeOp == ChangeOp.READ || changeOp == ChangeOp.CREATE ? null : before,
            after,
            positionOf(source),
            capturedAt));
  }

  private static ObjectNode keyOf(EntityDefinition entity, ObjectNode state) {
    ObjectNode key = JsonNodeFactory.instance.objectNode();
    for (String column : entity.keyColumns()) {
      JsonNode value = state.get(column);
      if (value == null || value.isNull()) {
        throw new IllegalArgumentException(
            "row of " + entity.table() + " has no value for key column " + column);
      }
      key.set(column, value);
    }
    return key;
  }

  private static SourcePosition positionOf(JsonNode source) {
    JsonNode lsn = source.get("lsn");
    if (lsn == null || !lsn.canConvertToLong()) {
      // Without a position the read model's ordering guard cannot work: reject, don't guess.
      throw new IllegalArgumentException("Debezium record has no source.lsn");
    }
    JsonNode txId = source.get("txId");
    String snapshot = source.path("snapshot").asText("false");
    return new SourcePosition(
        lsn.asLong(),
        txId == null || txId.isNull() ? null : txId.asLong(),
        commitTimeOf(source),
        !snapshot.equals("false") && !snapshot.isEmpty());
  }

  private static Instant commitTimeOf(JsonNode source) {
    JsonNode micros = source.get("ts_us");
    if (micros != null && micros.canConvertToLong()) {
      long us = micros.asLong();
      return Instant.ofEpochSecond(
          Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1_000L);
    }
    return Instant.ofEpochMilli(source.path("ts_ms").asLong());
  }

  private static @Nullable ObjectNode objectOrNull(@Nullable JsonNode node) {
    return node instanceof ObjectNode object ? object : null;
  }
}
