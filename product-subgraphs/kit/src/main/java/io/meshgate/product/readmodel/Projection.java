package io.meshgate.product.readmodel;

import io.meshgate.product.api.EntityDefinition;
import io.meshgate.runtime.events.ChangeEvent;
import java.util.List;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;

/**
 * Applies one entity's change events to a read model. Implementations must be idempotent by source
 * position: applying an event twice, or an older event after a newer one, changes nothing.
 */
public interface Projection {

  /** The entity whose change topic feeds this projection. */
  EntityDefinition entity();

  /**
   * The product that owns {@link #entity()}: null for the consuming product's own entities, another
   * product's name for a replica fed from that product's change topic.
   */
  default @Nullable String sourceProduct() {
    return null;
  }

  /**
   * The read-model table this projection mirrors the entity into, schema-qualified (e.g. {@code
   * sales_read.customers}), or null when it derives something else from the events.
   */
  default @Nullable String targetTable() {
    return null;
  }

  /**
   * Applies a batch of events, in topic order, inside the caller's transaction.
   *
   * @param tx the transaction's context
   * @param events valid events of {@link #entity()}
   */
  void apply(DSLContext tx, List<ChangeEvent> events);
}
