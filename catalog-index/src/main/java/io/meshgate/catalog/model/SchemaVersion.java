package io.meshgate.catalog.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One version of a dataset's schema and what changed from the version before it.
 *
 * @param version schema version, from 1
 * @param publishedAt when the version was published, if known
 * @param changes field changes from the previous version (empty for the first)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SchemaVersion(int version, @Nullable Instant publishedAt, List<Change> changes) {

  public SchemaVersion {
    changes = changes == null ? List.of() : List.copyOf(changes);
  }

  /**
   * One change of one field.
   *
   * @param change what kind of change
   * @param field the field changed (its new name when renamed)
   * @param detail e.g. {@code varchar(200) -> varchar(320)} or the old name
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Change(ChangeKind change, String field, String detail) {
    public Change {
      detail = detail == null ? "" : detail;
    }
  }

  /** Kinds of schema change. */
  public enum ChangeKind {
    ADDED,
    REMOVED,
    RENAMED,
    TYPE_CHANGED,
    NULLABILITY_CHANGED,
    DESCRIPTION_CHANGED,
    CLASSIFICATION_CHANGED
  }
}
