package io.meshgate.catalog.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One field of a dataset: a column, an event property or a GraphQL field.
 *
 * @param name field name; nested fields as a dotted path ({@code after.email})
 * @param type type in the dataset's own type system ({@code uuid}, {@code String!})
 * @param description what the field holds, for people
 * @param nullable whether the field may be absent, when known
 * @param classifications data classifications such as {@code PII}
 * @param tags free labels
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Field(
    String name,
    String type,
    String description,
    @Nullable Boolean nullable,
    List<String> classifications,
    List<String> tags) {

  public Field {
    description = description == null ? "" : description;
    classifications = classifications == null ? List.of() : List.copyOf(classifications);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** A field with a description and classifications but no tags or nullability. */
  public static Field of(String name, String type, String description, String... classifications) {
    return new Field(name, type, description, null, List.of(classifications), List.of());
  }
}
