package io.meshgate.gateway.compose;

import java.util.List;

/** Subgraphs that do not compose, with every reason (each names subgraph, type and field). */
public final class CompositionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public CompositionException(String error) {
    this(List.of(error));
  }

  public CompositionException(List<String> errors) {
    super("composition failed:\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  /** Every composition error. */
  public List<String> errors() {
    return errors;
  }
}
