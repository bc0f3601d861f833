package io.meshgate.catalog.testing;

import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.DatasetKind;
import io.meshgate.catalog.model.Field;
import io.meshgate.catalog.model.LineageEdge;
import java.util.ArrayList;
import java.util.List;

/** Builds catalog entries for tests with only what a test cares about. */
public final class Entries {

  private String product = "sales";
  private String domain = "Sales";
  private DatasetKind kind = DatasetKind.TABLE;
  private final String name;
  private String description = "";
  private String owner = "team-sales";
  private List<String> tags = List.of();
  private List<String> classifications = List.of();
  private int schemaVersion = 1;
  private final List<Field> fields = new ArrayList<>();
  private final List<LineageEdge> lineage = new ArrayList<>();

  private Entries(String name) {
    this.name = name;
  }

  /** An entry of a sales table named {@code name}. */
  public static Entries dataset(String name) {
    return new Entries(name);
  }

  public Entries product(String product) {
    this.product = product;
    return this;
  }

  public Entries domain(String domain) {
    this.domain = domain;
    return this;
  }

  public Entries kind(DatasetKind kind) {
    this.kind = kind;
    return this;
  }

  public Entries description(String description) {
    this.description = description;
    return this;
  }

  public Entries owner(String owner) {
    this.owner = owner;
    return this;
  }

  public Entries tags(String... tags) {
    this.tags = List.of(tags);
    return this;
  }

  public Entries classifications(String... classifications) {
    this.classifications = List.of(classifications);
    return this;
  }

  public Entries schemaVersion(int version) {
    this.schemaVersion = version;
    return this;
  }

  /** Adds a field with a description and classifications. */
  public Entries field(String name, String type, String description, String... classifications) {
    fields.add(Field.of(name, type, description, classifications));
    return this;
  }

  /** Adds a lineage edge between two node ids. */
  public Entries edge(String from, String to, LineageEdge.Kind kind) {
    lineage.add(LineageEdge.of(from, to, kind));
    return this;
  }

  public CatalogEntry build() {
    return new CatalogEntry(
        product,
        domain,
        kind,
        name,
        description,
        owner,
        tags,
        classifications,
        schemaVersion,
        List.of(),
        List.of(),
        null,
        fields,
        lineage,
        null);
  }
}
