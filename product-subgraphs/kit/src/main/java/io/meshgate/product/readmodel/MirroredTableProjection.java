package io.meshgate.product.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.runtime.events.ChangeEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Table;
import org.jooq.UniqueKey;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * A read model that mirrors an operational table column by column, plus bookkeeping columns: {@code
 * deleted} (a tombstone, so a late older upsert cannot resurrect a deleted row), {@code
 * source_lsn}, {@code source_tx_id}, {@code source_commit_time} and {@code applied_at}. Every write
 * is an upsert guarded by {@code source_lsn}: it lands only if it is newer than what the row holds,
 * which makes redelivery and replay harmless.
 */
public final class MirroredTableProjection implements Projection {

  static final Set<String> BOOKKEEPING =
      Set.of("deleted", "source_lsn", "source_tx_id", "source_commit_time", "applied_at");

  private final EntityDefinition entity;
  private final @Nullable String sourceProduct;
  private final Table<?> table;
  private final List<Field<?>> keyFields;
  private final List<Field<?>> dataFields;
  private final Field<Boolean> deleted;
  private final Field<Long> sourceLsn;
  private final Field<Long> sourceTxId;
  private final Field<OffsetDateTime> sourceCommitTime;
  private final Field<OffsetDateTime> appliedAt;

  /**
   * @param entity the mirrored entity
   * @param table the read-model table (jOOQ generated), with a primary key on the entity's key
   */
  public MirroredTableProjection(EntityDefinition entity, Table<?> table) {
    this(entity, table, null);
  }

  /**
   * A replica of another product's entity, fed from that product's change topic. The table may keep
   * only the columns this product needs; the others in each event are ignored.
   *
   * @param sourceProduct the product that owns {@code entity}
   */
  public MirroredTableProjection(
      EntityDefinition entity, Table<?> table, @Nullable String sourceProduct) {
    this.entity = entity;
    this.sourceProduct = sourceProduct;
    this.table = table;
    UniqueKey<?> primaryKey = table.getPrimaryKey();
    if (primaryKey == null) {
      throw new IllegalArgumentException("read-model table " + table + " has no primary key");
    }
    this.keyFields = List.copyOf(primaryKey.getFields());
    this.dataFields =
        Arrays.stream(table.fields())
            .filter(f -> !BOOKKEEPING.contains(f.getName()))
            .<Field<?>>map(f -> f)
            .toList();
    this.deleted = required(table, "deleted", Boolean.class);
    this.sourceLsn = required(table, "source_lsn", Long.class);
    this.sourceTxId = required(table, "source_tx_id", Long.class);
    this.sourceCommitTime = required(table, "source_commit_time", OffsetDateTime.class);
    this.appliedAt = required(table, "applied_at", OffsetDateTime.class);
  }

  @Override
  public String targetTable() {
    return table.getSchema() == null
        ? table.getName()
        : table.getSchema().getName() + "." + table.getName();
  }

  private static <T> Field<T> required(Table<?> table, String name, Class<T> type) {
    Field<?> field = table.field(name);
    if (field == null) {
      throw new IllegalArgumentException(
          "read-model table " + table + " lacks bookkeeping column " + name);
    }
    return field.coerce(type);
  }

  @Override
  public EntityDefinition entity() {
    return entity;
  }

  @Override
  public @Nullable String sourceProduct() {
    return sourceProduct;
  }

  @Override
  public void apply(DSLContext tx, List<ChangeEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    upsert(tx, newestPerKey(events), OffsetDateTime.now(ZoneOffset.UTC)).execute();
  }

  /** Only the newest change of each key in a batch can win, so only it is written. */
  private static List<ChangeEvent> newestPerKey(List<ChangeEvent> events) {
    Map<String, ChangeEvent> newest = new LinkedHashMap<>();
    for (ChangeEvent event : events) {
      newest.merge(
          event.key().toString(),
          event,
          (old, candidate) -> candidate.source().lsn() >= old.source().lsn() ? candidate : old);
    }
    return List.copyOf(newest.values());
  }

  /**
   * One multi-row upsert for the whole batch: a single statement and round trip, however many rows.
   * Keys are distinct (newest per key), as ON CONFLICT requires.
   */
  private Query upsert(DSLContext tx, List<ChangeEvent> events, OffsetDateTime now) {
    List<Field<?>> columns = new ArrayList<>(dataFields);
    columns.add(deleted);
    columns.add(sourceLsn);
    columns.add(sourceTxId);
    columns.add(sourceCommitTime);
    columns.add(appliedAt);
    var insert = tx.insertInto(table, columns);
    for (ChangeEvent event : events) {
      List<Object> row = new ArrayList<>(columns.size());
      ObjectNode state = event.isDelete() ? null : event.after();
      for (Field<?> field : dataFields) {
        JsonNode value =
            state != null
                ? state.get(field.getName())
                : keyFields.contains(field) ? event.key().get(field.getName()) : null;
        row.add(convert(field, value));
      }
      row.add(event.isDelete());
      row.add(event.source().lsn());
      row.add(event.source().txId());
      row.add(OffsetDateTime.ofInstant(event.source().commitTime(), ZoneOffset.UTC));
      row.add(now);
      insert = insert.values(row);
    }
    Map<Field<?>, Object> updates = new LinkedHashMap<>();
    for (Field<?> field : columns) {
      if (!keyFields.contains(field)) {
        updates.put(field, DSL.excluded(field));
      }
    }
    return insert
        .onConflict(keyFields)
        .doUpdate()
        .set(updates)
        .where(sourceLsn.lt(DSL.excluded(sourceLsn)));
  }

  private static @Nullable Object convert(Field<?> field, @Nullable JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    Class<?> type = field.getType();
    if (type == String.class) {
      return value.asText();
    }
    if (type == UUID.class) {
      return UUID.fromString(value.asText());
    }
    if (type == OffsetDateTime.class) {
      return OffsetDateTime.ofInstant(Instant.parse(value.asText()), ZoneOffset.UTC);
    }
    if (type == Long.class) {
      return value.asLong();
    }
    if (type == Integer.class) {
      return value.asInt();
    }
    if (type == Boolean.class) {
      return value.asBoolean();
    }
    if (type == BigDecimal.class) {
      return new BigDecimal(value.asText());
    }
    return field.getDataType().convert(value.isTextual() ? value.asText() : value.toString());
  }
}
