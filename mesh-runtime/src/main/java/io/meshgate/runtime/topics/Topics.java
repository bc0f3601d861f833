package io.meshgate.runtime.topics;

/** Names of the mesh's Kafka topics, as fixed by the contracts in {@code schema/}. */
public final class Topics {

  private Topics() {}

  /** The change topic of one entity: {@code mesh.<product>.<entity>.changes}. */
  public static String changes(String product, String entity) {
    return "mesh." + product + "." + entity + ".changes";
  }

  /**
   * The product's dead-letter topic: events that failed their schema, with the reason, so that
   * nothing is dropped silently.
   */
  public static String deadLetter(String product) {
    return "mesh." + product + ".deadletter";
  }

  /** The product's metrics topic: windowed aggregates computed by its stream processors. */
  public static String metrics(String product) {
    return "mesh." + product + ".metrics";
  }
}
