package io.meshgate.catalog.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Encodes catalog entries to their JSON form on {@code mesh.catalog} and decodes them back,
 * checking each against the contract {@code meshgate/catalog/catalog-entry.schema.json}. A decoded
 * record is either an entry or, for a null value, a tombstone. Thread-safe.
 */
public final class CatalogCodec {

  /** Classpath location of the entry's JSON Schema. */
  public static final String SCHEMA_RESOURCE = "meshgate/catalog/catalog-entry.schema.json";

  private static final String SCHEMA_ID =
      "https://meshgate.io/schemas/catalog/catalog-entry.schema.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final JsonSchema schema;

  public CatalogCodec() {
    JsonSchemaFactory factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V202012,
            builder ->
                builder
                    .metaSchema(JsonMetaSchema.getV202012())
                    .schemaMappers(
                        m -> m.mapPrefix("https://meshgate.io/schemas/", "classpath:meshgate/")));
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
    this.schema = factory.getSchema(SchemaLocation.of(SCHEMA_ID), config);
  }

  /** The entry as its JSON document, carrying format name and version. */
  public JsonNode toJson(CatalogEntry entry) {
    return JSON.valueToTree(entry);
  }

  /** The entry as UTF-8 JSON bytes, the record value on {@code mesh.catalog}. */
  public byte[] encode(CatalogEntry entry) {
    try {
      return JSON.writeValueAsBytes(entry);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode catalog entry " + entry.id(), e);
    }
  }

  /** Every schema violation of {@code json}, each naming its JSON path; empty when valid. */
  public List<String> violations(JsonNode json) {
    return schema.validate(json).stream()
        .map(ValidationMessage::getMessage)
        .sorted(Comparator.naturalOrder())
        .distinct()
        .toList();
  }

  /**
   * Parses and validates one record value.
   *
   * @param value the record value; null is a tombstone
   * @return the entry, or null for a tombstone
   * @throws InvalidCatalogEntryException naming every problem when the value is not a valid entry
   */
  public @Nullable CatalogEntry decode(byte @Nullable [] value)
      throws InvalidCatalogEntryException {
    if (value == null) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(value);
    } catch (IOException e) {
      throw new InvalidCatalogEntryException(List.of("$: not valid JSON: " + e.getMessage()));
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidCatalogEntryException(
          List.of("$: empty value, expected a catalog entry or a tombstone"));
    }
    List<String> violations = violations(node);
    if (!violations.isEmpty()) {
      throw new InvalidCatalogEntryException(violations);
    }
    try {
      return JSON.treeToValue(node, CatalogEntry.class);
    } catch (ValueInstantiationException e) {
      // the schema cannot say "field names are unique"; the record's own checks can
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new InvalidCatalogEntryException(List.of("$: " + cause.getMessage()));
    } catch (JsonProcessingException e) {
      throw new InvalidCatalogEntryException(List.of("$: " + e.getOriginalMessage()));
    }
  }

  /**
   * Decodes a record key and value and checks the key is the entry's id.
   *
   * @throws InvalidCatalogEntryException when the value is invalid or belongs to another key
   */
  public @Nullable CatalogEntry decode(String key, byte @Nullable [] value)
      throws InvalidCatalogEntryException {
    try {
      NodeId id = NodeId.parse(key);
      if (id.isField()) {
        throw new InvalidCatalogEntryException(
            List.of("key: '" + key + "' is a field id, expected a dataset id"));
      }
    } catch (IllegalArgumentException e) {
      throw new InvalidCatalogEntryException(List.of("key: " + e.getMessage()));
    }
    CatalogEntry entry = decode(value);
    if (entry != null && !entry.id().equals(key)) {
      throw new InvalidCatalogEntryException(
          List.of("key: record key '" + key + "' is not the entry's id '" + entry.id() + "'"));
    }
    return entry;
  }

  /**
   * Reads an entry this service encoded itself (e.g. stored in its index) without checking it
   * against the schema again: the check is what makes decoding topic values slow.
   */
  public static CatalogEntry readTrusted(byte[] value, int offset, int length) {
    try {
      return JSON.readValue(value, offset, length, CatalogEntry.class);
    } catch (IOException e) {
      throw new IllegalStateException("stored catalog entry is unreadable", e);
    }
  }

  /** Decodes a JSON text, for tests and tools. */
  public @Nullable CatalogEntry decode(String json) throws InvalidCatalogEntryException {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }
}
