package io.meshgate.product.api;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entity of a data product: an operational table whose changes are captured and published to
 * {@code mesh.<product>.<entity>.changes}.
 *
 * @param name entity name in events and topic names, e.g. {@code customer}
 * @param table the operational table, schema-qualified, e.g. {@code sales.customers}
 * @param keyColumns primary-key columns, in key order
 * @param schemaVersion version of the entity's event schema
 * @param eventSchema classpath location of the entity's JSON Schema (draft 2020-12)
 */
public record EntityDefinition(
    String name, String table, List<String> keyColumns, int schemaVersion, String eventSchema) {

  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]*$");
  private static final Pattern TABLE = Pattern.compile("^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$");

  public EntityDefinition {
    Objects.requireNonNull(eventSchema, "eventSchema");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("entity name must match " + NAME + ": " + name);
    }
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table must be schema-qualified (schema.table): " + table);
    }
    if (keyColumns.isEmpty()) {
      throw new IllegalArgumentException("entity " + name + " needs at least one key column");
    }
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("schemaVersion must be >= 1: " + schemaVersion);
    }
    keyColumns = List.copyOf(keyColumns);
  }
}
