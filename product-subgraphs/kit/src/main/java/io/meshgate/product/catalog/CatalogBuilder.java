package io.meshgate.product.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.AstPrinter;
import graphql.language.Description;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.api.MetricDefinition;
import io.meshgate.product.api.MetricDimension;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.metrics.MetricsTopology;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.runtime.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Schema;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Derives a product's catalog entries (format {@code meshgate.catalog-entry}, version 1) from its
 * contracts and its live schema, never from copies: tables and read models from the database's own
 * metadata, topics and field descriptions and classifications from the entities' JSON Schemas,
 * GraphQL types from the product's SDL, metrics from its metric declarations, and owner, domain,
 * tags, SLOs and derived lineage from its descriptor ({@code
 * meshgate/<product>/catalog/product.json}).
 *
 * <p>Field-level lineage: table column -> change-topic field ({@code CAPTURE}) -> read-model column
 * ({@code PROJECTION}, also across products for replicas) -> GraphQL field ({@code EXPOSURE});
 * topic fields -> metric fields ({@code AGGREGATION}); plus the descriptor's edges. Each entry
 * declares the edges into its own fields.
 */
public final class CatalogBuilder {

  /** Classpath location of the catalog entry contract. */
  public static final String ENTRY_SCHEMA = "meshgate/catalog/catalog-entry.schema.json";

  /** Classpath location of the product descriptor contract. */
  public static final String DESCRIPTOR_SCHEMA = "meshgate/catalog/product-descriptor.schema.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> OPERATION_TYPES = Set.of("Query", "Mutation", "Subscription");

  private final ProductDefinition product;
  private final JsonNode descriptor;
  private final DSLContext dsl;
  private final List<Projection> projections;

  public CatalogBuilder(
      ProductDefinition product,
      JsonNode descriptor,
      DSLContext dsl,
      List<Projection> projections) {
    this.product = product;
    this.descriptor = descriptor;
    this.dsl = dsl;
    this.projections = List.copyOf(projections);
  }

  /** Classpath location of a product's descriptor. */
  public static String descriptorLocation(String product) {
    return "meshgate/" + product + "/catalog/product.json";
  }

  /** Reads a product's descriptor from the classpath. */
  public static JsonNode readDescriptor(String product) {
    return readJson(descriptorLocation(product));
  }

  /**
   * Every dataset of the product, by dataset id, in a stable order; schema version 1, no history
   * yet.
   */
  public Map<String, ObjectNode> build() {
    Map<String, ObjectNode> entries = new LinkedHashMap<>();
    Map<String, Table<?>> tables = liveTables();
    for (EntityDefinition entity : product.entities()) {
      JsonNode row = rowSchema(entity);
      add(entries, operationalTable(entity, row, tables));
      add(entries, changeTopic(entity, row));
    }
    for (Projection projection : projections) {
      String target = projection.targetTable();
      if (target != null && tables.containsKey(target)) {
        add(entries, readModel(projection, target, tables.get(target)));
      }
    }
    graphqlTypes().forEach(type -> add(entries, graphqlType(type, tables)));
    for (MetricDefinition metric : product.metrics()) {
      add(entries, metric(metric));
    }
    add(
        entries,
        builtInMetric(
            MetricsTopology.CHANGES,
            "Change events per dataset and kind of change, per window: the change rate.",
            false));
    add(
        entries,
        builtInMetric(
            MetricsTopology.FRESHNESS,
            "Milliseconds from a change's commit to its processing by the stream processors, per"
                + " dataset.",
            true));
    addDerivedLineage(entries);
    return entries;
  }

  private static void add(Map<String, ObjectNode> entries, ObjectNode entry) {
    entries.put(
        entry.get("product").asText()
            + "/"
            + CatalogNodes.segment(entry.get("kind").asText())
            + "/"
            + entry.get("name").asText(),
        entry);
  }

  private ObjectNode entry(String kind, String name, String description) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("format", "meshgate.catalog-entry");
    entry.put("formatVersion", 1);
    entry.put("product", product.name());
    entry.put("domain", descriptor.get("domain").asText());
    entry.put("kind", kind);
    entry.put("name", name);
    entry.put("description", description);
    entry.put("owner", descriptor.get("owner").asText());
    ArrayNode tags = entry.putArray("tags");
    descriptor.path("tags").forEach(tag -> tags.add(tag.asText()));
    entry.putArray("classifications");
    entry.put("schemaVersion", 1);
    entry.putArray("schemaHistory");
    ArrayNode slos = entry.putArray("slos");
    descriptor.path("slos").path(kind).forEach(slos::add);
    entry.putArray("fields");
    entry.putArray("lineage");
    return entry;
  }

  private ObjectNode operationalTable(
      EntityDefinition entity, JsonNode row, Map<String, Table<?>> tables) {
    Table<?> table = tables.get(entity.table());
    ObjectNode entry =
        entry(
            "TABLE",
            entity.table(),
            description(
                table,
                row,
                "Operational table of " + product.name() + "'s " + entity.name() + " entity."));
    entry.withArray("tags").add("operational");
    if (table != null) {
      for (Field<?> column : table.fields()) {
        addField(
            entry,
            column.getName(),
            sqlType(column),
            column.getDataType().nullable(),
            firstNonBlank(
                column.getComment(),
                text(row.path("properties").path(column.getName()).path("description"))),
            classifications(row.path("properties").path(column.getName())));
      }
    }
    return entry;
  }

  private ObjectNode changeTopic(EntityDefinition entity, JsonNode row) {
    String topic = Topics.changes(product.name(), entity.name());
    ObjectNode entry =
        entry(
            "TOPIC",
            topic,
            "Every committed change of "
                + entity.table()
                + ", captured from the write-ahead log and checked against its JSON Schema; key ="
                + " the row's primary key.");
    entry.withArray("tags").add("cdc");
    String dataset = CatalogNodes.topic(product.name(), topic);
    addField(
        entry,
        "op",
        "string (c|u|d|r)",
        false,
        "Kind of change: insert, update, delete, snapshot read.",
        List.of());
    addField(
        entry,
        "source.lsn",
        "integer",
        false,
        "Position of the change in the source write-ahead log.",
        List.of());
    addField(
        entry,
        "source.commitTime",
        "string (date-time)",
        false,
        "Commit time of the source transaction.",
        List.of());
    String operational = CatalogNodes.table(product.name(), entity.table());
    row.path("properties")
        .properties()
        .forEach(
            property -> {
              String path = "after." + property.getKey();
              addField(
                  entry,
                  path,
                  jsonType(property.getValue()),
                  true,
                  text(property.getValue().path("description")),
                  classifications(property.getValue()));
              addEdge(
                  entry,
                  CatalogNodes.field(operational, property.getKey()),
                  CatalogNodes.field(dataset, path),
                  "CAPTURE",
                  null);
            });
    return entry;
  }

  private ObjectNode readModel(Projection projection, String target, Table<?> table) {
    EntityDefinition entity = projection.entity();
    String source =
        projection.sourceProduct() == null ? product.name() : projection.sourceProduct();
    JsonNode row = rowSchema(entity);
    String sourceTopic = CatalogNodes.topic(source, Topics.changes(source, entity.name()));
    ObjectNode entry =
        entry(
            "TABLE",
            target,
            description(
                table,
                row,
                "Read model fed from "
                    + Topics.changes(source, entity.name())
                    + (source.equals(product.name())
                        ? ""
                        : " (" + source + "'s topic: a replica " + product.name() + " keeps)")
                    + "."));
    entry.withArray("tags").add("read-model");
    String dataset = CatalogNodes.table(product.name(), target);
    Set<String> eventFields = new LinkedHashSet<>();
    row.path("properties").fieldNames().forEachRemaining(eventFields::add);
    for (Field<?> column : table.fields()) {
      JsonNode property = row.path("properties").path(column.getName());
      addField(
          entry,
          column.getName(),
          sqlType(column),
          column.getDataType().nullable(),
          firstNonBlank(column.getComment(), text(property.path("description"))),
          classifications(property));
      if (eventFields.contains(column.getName())) {
        addEdge(
            entry,
            CatalogNodes.field(sourceTopic, "after." + column.getName()),
            CatalogNodes.field(dataset, column.getName()),
            "PROJECTION",
            null);
      }
    }
    return entry;
  }

  private ObjectNode graphqlType(ObjectTypeDefinition type, Map<String, Table<?>> tables) {
    boolean extension = isExtension(type);
    String description =
        firstNonBlank(
            description(type.getDescription()),
            "GraphQL type " + type.getName() + " of the " + product.name() + " subgraph.");
    ObjectNode entry =
        entry(
            "GRAPHQL_TYPE",
            type.getName(),
            extension
                ? "The fields "
                    + product.name()
                    + " contributes to "
                    + type.getName()
                    + ", an entity another product owns. "
                    + description
                : description);
    entry.withArray("tags").add("graphql");
    if (extension) {
      // The enterprise catalog ranks the owner's dataset of this name first.
      entry.withArray("tags").add("extension");
    }
    String dataset = CatalogNodes.graphql(product.name(), type.getName());
    Projection served = servingProjection(type.getName());
    Table<?> readModel =
        served == null || served.targetTable() == null ? null : tables.get(served.targetTable());
    JsonNode row = served == null ? JSON.nullNode() : rowSchema(served.entity());
    for (FieldDefinition field : type.getFieldDefinitions()) {
      if (field.hasDirective("external")) {
        continue;
      }
      String column = snakeCase(field.getName());
      addField(
          entry,
          field.getName(),
          AstPrinter.printAst(field.getType()),
          !AstPrinter.printAst(field.getType()).endsWith("!"),
          description(field.getDescription()),
          classifications(row.path("properties").path(column)));
      if (readModel != null && readModel.field(column) != null) {
        addEdge(
            entry,
            CatalogNodes.field(CatalogNodes.table(product.name(), served.targetTable()), column),
            CatalogNodes.field(dataset, field.getName()),
            "EXPOSURE",
            null);
      }
    }
    return entry;
  }

  private ObjectNode metric(MetricDefinition metric) {
    ObjectNode entry =
        metricEntry(metric.name(), metric.description(), metric.valueField() != null);
    String dataset = CatalogNodes.metric(product.name(), metric.name());
    String topic =
        CatalogNodes.topic(product.name(), Topics.changes(product.name(), metric.entity()));
    for (MetricDimension dimension : metric.dimensions()) {
      addField(
          entry,
          "dimensions." + dimension.name(),
          "string",
          false,
          dimension.lookup() == null
              ? "The change's " + dimension.field() + "."
              : "The "
                  + dimension.lookup().field()
                  + " of the "
                  + dimension.lookup().entity()
                  + " the change's "
                  + dimension.field()
                  + " refers to.",
          List.of());
      addEdge(
          entry,
          CatalogNodes.field(topic, "after." + dimension.field()),
          CatalogNodes.field(dataset, "dimensions." + dimension.name()),
          dimension.lookup() == null ? "COPY" : "DERIVATION",
          dimension.lookup() == null
              ? null
              : "looked up in " + dimension.lookup().entity() + "." + dimension.lookup().field());
    }
    addEdge(
        entry,
        CatalogNodes.field(topic, "op"),
        CatalogNodes.field(dataset, "count"),
        "AGGREGATION",
        "count per window");
    if (metric.valueField() != null) {
      addEdge(
          entry,
          CatalogNodes.field(topic, "after." + metric.valueField()),
          CatalogNodes.field(dataset, "sum"),
          "AGGREGATION",
          "sum per window");
      addEdge(
          entry,
          CatalogNodes.field(topic, "after." + metric.valueField()),
          CatalogNodes.field(dataset, "max"),
          "AGGREGATION",
          "maximum per window");
    }
    return entry;
  }

  private ObjectNode builtInMetric(String name, String description, boolean valued) {
    ObjectNode entry = metricEntry(name, description, valued);
    addField(
        entry,
        "dimensions.dataset",
        "string",
        false,
        "The entity whose changes are measured.",
        List.of());
    String dataset = CatalogNodes.metric(product.name(), name);
    for (EntityDefinition entity : product.entities()) {
      addEdge(
          entry,
          CatalogNodes.field(
              CatalogNodes.topic(product.name(), Topics.changes(product.name(), entity.name())),
              "source.commitTime"),
          CatalogNodes.field(dataset, valued ? "sum" : "count"),
          "AGGREGATION",
          null);
    }
    return entry;
  }

  private ObjectNode metricEntry(String name, String description, boolean valued) {
    ObjectNode entry =
        entry(
            "METRIC",
            name,
            description
                + " Tumbling event-time windows on commit time;"
                + " published to "
                + Topics.metrics(product.name())
                + ".");
    entry.withArray("tags").add("metric");
    addField(entry, "windowStart", "string (date-time)", false, "Start of the window.", List.of());
    addField(entry, "count", "integer", false, "Points that arrived in time.", List.of());
    addField(
        entry,
        "late_count",
        "integer",
        false,
        "Points that arrived after the window closed.",
        List.of());
    if (valued) {
      addField(entry, "sum", "decimal", true, "Sum of the values in the window.", List.of());
      addField(entry, "max", "decimal", true, "Largest value in the window.", List.of());
    }
    return entry;
  }

  private void addDerivedLineage(Map<String, ObjectNode> entries) {
    for (JsonNode edge : descriptor.path("lineage")) {
      String to = edge.get("to").asText();
      ObjectNode target = entries.get(to.substring(0, to.indexOf('#')));
      if (target == null) {
        throw new IllegalStateException(
            descriptorLocation(product.name())
                + ": lineage edge into "
                + to
                + ", which is no dataset of "
                + product.name());
      }
      addEdge(
          target,
          edge.get("from").asText(),
          to,
          edge.get("kind").asText(),
          edge.has("transformation") ? edge.get("transformation").asText() : null);
    }
  }

  /** An entity type (with {@code @key}) that none of the product's own entities is served as. */
  private boolean isExtension(ObjectTypeDefinition type) {
    if (!type.hasDirective("key")) {
      return false;
    }
    return product.entities().stream()
        .noneMatch(e -> graphqlTypeOf(e.name()).equals(type.getName()));
  }

  private @Nullable Projection servingProjection(String graphqlType) {
    for (Projection projection : projections) {
      if (projection.sourceProduct() == null
          && graphqlTypeOf(projection.entity().name()).equals(graphqlType)) {
        return projection;
      }
    }
    return null;
  }

  private String graphqlTypeOf(String entity) {
    JsonNode named = descriptor.path("graphqlTypes").path(entity);
    if (named.isTextual()) {
      return named.asText();
    }
    StringBuilder type = new StringBuilder();
    for (String part : entity.split("_")) {
      type.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
    }
    return type.toString();
  }

  private List<ObjectTypeDefinition> graphqlTypes() {
    TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
    try {
      Resource[] files =
          new PathMatchingResourcePatternResolver()
              .getResources("classpath*:" + product.graphqlLocation() + "/*.graphqls");
      for (Resource file : files) {
        try (InputStream in = file.getInputStream()) {
          registry.merge(
              new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return registry.getTypes(ObjectTypeDefinition.class).stream()
        .filter(type -> !OPERATION_TYPES.contains(type.getName()))
        .filter(
            type -> type.getFieldDefinitions().stream().anyMatch(f -> !f.hasDirective("external")))
        .sorted(Comparator.comparing(ObjectTypeDefinition::getName))
        .toList();
  }

  private Map<String, Table<?>> liveTables() {
    Set<String> schemas = new TreeSet<>();
    product.entities().forEach(e -> schemas.add(e.table().substring(0, e.table().indexOf('.'))));
    projections.forEach(
        p -> {
          String target = p.targetTable();
          if (target != null) {
            schemas.add(target.substring(0, target.indexOf('.')));
          }
        });
    Map<String, Table<?>> tables = new LinkedHashMap<>();
    for (Schema schema : dsl.meta().getSchemas()) {
      if (schemas.contains(schema.getName())) {
        schema.getTables().forEach(t -> tables.put(schema.getName() + "." + t.getName(), t));
      }
    }
    return tables;
  }

  private static JsonNode rowSchema(EntityDefinition entity) {
    return readJson(entity.eventSchema()).path("$defs").path(entity.name());
  }

  private static JsonNode readJson(String resource) {
    try (InputStream in = CatalogBuilder.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("contract not on the classpath: " + resource);
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read contract " + resource, e);
    }
  }

  private static void addField(
      ObjectNode entry,
      String name,
      String type,
      boolean nullable,
      @Nullable String description,
      List<String> classifications) {
    ObjectNode field = entry.withArray("fields").addObject();
    field.put("name", name);
    field.put("type", type);
    if (description != null) {
      field.put("description", description);
    }
    field.put("nullable", nullable);
    if (!classifications.isEmpty()) {
      ArrayNode labels = field.putArray("classifications");
      classifications.forEach(labels::add);
      ArrayNode datasetLabels = entry.withArray("classifications");
      for (String classification : classifications) {
        boolean present = false;
        for (JsonNode existing : datasetLabels) {
          present |= existing.asText().equals(classification);
        }
        if (!present) {
          datasetLabels.add(classification);
        }
      }
    }
  }

  private static void addEdge(
      ObjectNode entry, String from, String to, String kind, @Nullable String transformation) {
    ObjectNode edge = entry.withArray("lineage").addObject();
    edge.put("from", from);
    edge.put("to", to);
    edge.put("kind", kind);
    if (transformation != null) {
      edge.put("transformation", transformation);
    }
  }

  private static List<String> classifications(JsonNode property) {
    List<String> labels = new ArrayList<>();
    property.path("x-classification").forEach(label -> labels.add(label.asText()));
    return labels;
  }

  private static String sqlType(Field<?> column) {
    String type = column.getDataType().getTypeName();
    if (column.getDataType().hasLength() && column.getDataType().length() > 0) {
      return type + "(" + column.getDataType().length() + ")";
    }
    if (column.getDataType().hasPrecision()
        && column.getDataType().precision() > 0
        && column.getDataType().hasScale()) {
      return type
          + "("
          + column.getDataType().precision()
          + ","
          + column.getDataType().scale()
          + ")";
    }
    return type;
  }

  private static String jsonType(JsonNode property) {
    if (property.has("type")) {
      return property.get("type").isArray()
          ? property.get("type").toString()
          : property.get("type").asText();
    }
    if (property.has("enum")) {
      List<String> values = new ArrayList<>();
      property.get("enum").forEach(v -> values.add(v.asText()));
      return "enum(" + String.join("|", values) + ")";
    }
    String ref = text(property.path("$ref"));
    if (ref != null) {
      return "string (" + ref.substring(ref.lastIndexOf('/') + 1) + ")";
    }
    return "any";
  }

  private static String description(@Nullable Table<?> table, JsonNode row, String fallback) {
    return firstNonBlank(
        table == null ? null : table.getComment(),
        firstNonBlank(text(row.path("description")), fallback));
  }

  private static @Nullable String description(@Nullable Description description) {
    return description == null ? null : description.getContent().strip();
  }

  private static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static @Nullable String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  private static @Nullable String firstNonBlank(@Nullable String first, @Nullable String second) {
    return first == null || first.isBlank() ? second : first;
  }
}
