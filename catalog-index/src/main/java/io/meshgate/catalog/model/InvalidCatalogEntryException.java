package io.meshgate.catalog.model;

import java.util.List;

/** A {@code mesh.catalog} record value that is not a valid catalog entry; names every problem. */
public final class InvalidCatalogEntryException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidCatalogEntryException(List<String> problems) {
    super("invalid catalog entry: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem, naming its JSON path. */
  public List<String> problems() {
    return problems;
  }
}
