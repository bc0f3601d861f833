package io.meshgate.runtime.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas (draft 2020-12) of the mesh's events, loaded from the contracts on the
 * classpath. Schema ids under {@code https://meshgate.io/schemas/} resolve to {@code
 * classpath:meshgate/}, so schemas reference each other by id and nothing is fetched from the
 * network. Compiled schemas are cached; validation is thread-safe.
 */
public final class EventSchemas {

  private static final String ID_PREFIX = "https://meshgate.io/schemas/";
  private static final String CLASSPATH_PREFIX = "classpath:meshgate/";

  /** Draft 2020-12 plus the mesh's annotation keywords, which the catalog reads. */
  private static final JsonMetaSchema META_SCHEMA =
      JsonMetaSchema.builder(JsonMetaSchema.getV202012())
          .keyword(new AnnotationKeyword("x-classification"))
          .build();

  private final JsonSchemaFactory factory =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder ->
              builder
                  .metaSchema(META_SCHEMA)
                  .schemaMappers(m -> m.mapPrefix(ID_PREFIX, CLASSPATH_PREFIX)));
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
  private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

  /**
   * Checks {@code event} against the schema at classpath location {@code schemaResource} (e.g.
   * {@code meshgate/sales/events/customer.v1.schema.json}).
   *
   * @return every violation, each naming its JSON path; empty when the event is valid
   */
  public List<String> violations(String schemaResource, JsonNode event) {
    JsonSchema schema = compiled.computeIfAbsent(schemaResource, this::load);
    Set<ValidationMessage> messages = schema.validate(event);
    return messages.stream()
        .map(ValidationMessage::getMessage)
        .sorted(Comparator.naturalOrder())
        .distinct()
        .toList();
  }

  private JsonSchema load(String resource) {
    String location =
        resource.startsWith("meshgate/")
            ? ID_PREFIX + resource.substring("meshgate/".length())
            : resource;
    return factory.getSchema(SchemaLocation.of(location), config);
  }
}
