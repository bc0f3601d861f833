package io.meshgate.runtime.events;

import java.util.List;

/** An event that is not valid JSON or does not satisfy its JSON Schema; carries every reason. */
public final class InvalidEventException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<String> reasons;

  public InvalidEventException(List<String> reasons) {
    super(String.join("; ", reasons));
    this.reasons = List.copyOf(reasons);
  }

  /** Every reason the event was rejected, each naming the offending location. */
  public List<String> reasons() {
    return reasons;
  }
}
