package io.meshgate.catalog.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a data product publishes about one of its datasets on {@code mesh.catalog} (format {@code
 * meshgate.catalog-entry}, version 1), keyed by {@link #id()}. A removed dataset is a tombstone
 * under that key, not an entry.
 *
 * @param product owning product
 * @param domain business domain of the product
 * @param kind what the dataset is
 * @param name dataset name, unique within product and kind
 * @param description what the dataset holds
 * @param owner team or person accountable
 * @param tags free labels
 * @param classifications classifications of the dataset as a whole
 * @param schemaVersion current schema version
 * @param schemaHistory schema versions, oldest first, with their changes
 * @param slos service level objectives
 * @param metrics latest observed metrics, if any
 * @param fields fields in schema order, names unique
 * @param lineage lineage edges this dataset declares (by convention into its own fields)
 * @param updatedAt when the product published this entry, if known
 */
@JsonIgnoreProperties(
    value = {"format", "formatVersion"},
    allowGetters = true)
@JsonPropertyOrder({"format", "formatVersion", "product", "domain", "kind", "name"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CatalogEntry(
    String product,
    String domain,
    DatasetKind kind,
    String name,
    String description,
    String owner,
    List<String> tags,
    List<String> classifications,
    int schemaVersion,
    List<SchemaVersion> schemaHistory,
    List<Slo> slos,
    @Nullable DatasetMetrics metrics,
    List<Field> fields,
    List<LineageEdge> lineage,
    @Nullable Instant updatedAt) {

  /** Name of this persistent format. */
  public static final String FORMAT = "meshgate.catalog-entry";

  /** Version of this persistent format. */
  public static final int FORMAT_VERSION = 1;

  public CatalogEntry {
    NodeId.dataset(product, kind, name);
    description = description == null ? "" : description;
    tags = copy(tags);
    classifications = copy(classifications);
    schemaHistory = copy(schemaHistory);
    slos = copy(slos);
    fields = copy(fields);
    lineage = copy(lineage);
    Set<String> names = new HashSet<>();
    for (Field field : fields) {
      if (!names.add(field.name())) {
        throw new IllegalArgumentException(
            "dataset " + product + "/" + name + " lists field '" + field.name() + "' twice");
      }
    }
  }

  /** The dataset's node id, also its record key on {@code mesh.catalog}. */
  @JsonIgnore
  public NodeId nodeId() {
    return NodeId.dataset(product, kind, name);
  }

  /** The dataset id as text: {@code <product>/<kind segment>/<name>}. */
  @JsonIgnore
  public String id() {
    return nodeId().toString();
  }

  /** The node id of the field named {@code field} of this dataset. */
  public String fieldId(String field) {
    return nodeId().field(field).toString();
  }

  /** Name of the persistent format, written with every entry. */
  @JsonProperty("format")
  public String format() {
    return FORMAT;
  }

  /** Version of the persistent format, written with every entry. */
  @JsonProperty("formatVersion")
  public int formatVersion() {
    return FORMAT_VERSION;
  }

  private static <T> List<T> copy(@Nullable List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
