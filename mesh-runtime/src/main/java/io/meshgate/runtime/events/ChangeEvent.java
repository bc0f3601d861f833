package io.meshgate.runtime.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One committed change of one row of a product's operational table, in the mesh's envelope (format
 * {@code meshgate.change-event}, version 1; JSON Schema in {@code schema/}).
 *
 * @param product owning product
 * @param entity entity name
 * @param schemaVersion version of the entity's schema
 * @param key primary key of the row
 * @param op kind of change
 * @param before the row before the change (null for inserts and snapshot reads)
 * @param after the row after the change (null for deletes)
 * @param source position in the source write-ahead log
 * @param capturedAt when the capture process saw the change
 */
public record ChangeEvent(
    String product,
    String entity,
    int schemaVersion,
    ObjectNode key,
    ChangeOp op,
    @Nullable ObjectNode before,
    @Nullable ObjectNode after,
    SourcePosition source,
    @Nullable Instant capturedAt) {

  /** Name of this persistent format. */
  public static final String FORMAT = "meshgate.change-event";

  /** Version of this persistent format. */
  public static final int FORMAT_VERSION = 1;

  /** The Kafka record key: a single-column key's value as text, else the key object as JSON. */
  public String recordKey() {
    if (key.size() == 1) {
      return key.elements().next().asText();
    }
    return key.toString();
  }

  /** True when the row no longer exists after this change. */
  public boolean isDelete() {
    return op == ChangeOp.DELETE;
  }
}
