package io.meshgate.product.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Versions a dataset's schema across publications: compared with the entry last published for it, a
 * changed field list is a new schema version whose history says what changed (fields added,
 * removed, retyped, made nullable, redescribed, reclassified); an unchanged one keeps its version.
 */
final class SchemaHistory {

  private SchemaHistory() {}

  /** {@code next} with the version and history it has given what was last published. */
  static ObjectNode evolve(@Nullable JsonNode previous, ObjectNode next, Instant now) {
    if (previous == null || !previous.has("schemaVersion")) {
      next.put("schemaVersion", 1);
      ArrayNode history = next.putArray("schemaHistory");
      ObjectNode first = history.addObject();
      first.put("version", 1);
      first.put("publishedAt", now.toString());
      first.putArray("changes");
      return next;
    }
    ArrayNode changes = changes(fields(previous), fields(next));
    int version = previous.get("schemaVersion").asInt();
    ArrayNode history = next.putArray("schemaHistory");
    previous.path("schemaHistory").forEach(history::add);
    if (!changes.isEmpty()) {
      version++;
      ObjectNode added = history.addObject();
      added.put("version", version);
      added.put("publishedAt", now.toString());
      added.set("changes", changes);
    }
    next.put("schemaVersion", version);
    return next;
  }

  private static Map<String, JsonNode> fields(JsonNode entry) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    entry.path("fields").forEach(field -> fields.put(field.get("name").asText(), field));
    return fields;
  }

  private static ArrayNode changes(Map<String, JsonNode> before, Map<String, JsonNode> after) {
    ArrayNode changes = JsonNodeFactory.instance.arrayNode();
    before.forEach(
        (name, old) -> {
          JsonNode now = after.get(name);
          if (now == null) {
            change(changes, "REMOVED", name, old.path("type").asText());
            return;
          }
          if (!old.path("type").equals(now.path("type"))) {
            change(
                changes,
                "TYPE_CHANGED",
                name,
                old.path("type").asText() + " -> " + now.path("type").asText());
          }
          if (!old.path("nullable").equals(now.path("nullable"))) {
            change(
                changes,
                "NULLABILITY_CHANGED",
                name,
                "nullable "
                    + old.path("nullable").asText("unknown")
                    + " -> "
                    + now.path("nullable").asText("unknown"));
          }
          if (!Objects.equals(
              old.path("description").asText(null), now.path("description").asText(null))) {
            change(changes, "DESCRIPTION_CHANGED", name, null);
          }
          if (!old.path("classifications").equals(now.path("classifications"))) {
            change(changes, "CLASSIFICATION_CHANGED", name, labels(old) + " -> " + labels(now));
          }
        });
    after.forEach(
        (name, now) -> {
          if (!before.containsKey(name)) {
            change(changes, "ADDED", name, now.path("type").asText());
          }
        });
    return changes;
  }

  private static String labels(JsonNode field) {
    return field.has("classifications") ? field.get("classifications").toString() : "[]";
  }

  private static void change(
      ArrayNode changes, String kind, String field, @Nullable String detail) {
    ObjectNode change = changes.addObject();
    change.put("change", kind);
    change.put("field", field);
    if (detail != null) {
      change.put("detail", detail.length() > 1000 ? detail.substring(0, 1000) : detail);
    }
  }
}
