package io.meshgate.audit.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which stored entries of one product's log to read, one page at a time.
 *
 * @param product the product whose log to read
 * @param entity only entries of this entity, or all
 * @param key only entries of the row with this primary key (needs {@code entity}), or all
 * @param afterSeq continue after this seq (in reading order), or start at the beginning
 * @param limit at most this many entries
 * @param newestFirst read from the highest seq down instead of from seq 0 up
 */
public record EntryQuery(
    String product,
    @Nullable String entity,
    @Nullable ObjectNode key,
    @Nullable Long afterSeq,
    int limit,
    boolean newestFirst) {

  public EntryQuery {
    Objects.requireNonNull(product, "product");
    if (key != null && entity == null) {
      throw new IllegalArgumentException("a key selects a row of one entity: name the entity too");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
  }
}
