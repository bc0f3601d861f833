package io.meshgate.gateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mutable state of fixture subgraphs: named counters and logs that {@code $state} values read
 * and change. The subgraphs of one conformance case share one state, as services sharing a database
 * would, so the order in which a gateway runs mutations across subgraphs shows in the answers.
 */
public final class FixtureState {

  private final Map<String, JsonNode> values = new HashMap<>();

  /** Forgets every counter and log, so each operation of a case starts from the same state. */
  public synchronized void reset() {
    values.clear();
  }

  /** The current value of {@code name}: a number, a list of strings, or null if never written. */
  synchronized @Nullable JsonNode read(String name) {
    JsonNode value = values.get(name);
    return value == null ? null : value.deepCopy();
  }

  /** Adds {@code amount} to counter {@code name} (0 when new) and returns the new value. */
  synchronized long add(String name, long amount) {
    JsonNode current = values.get(name);
    long next = (current == null ? 0 : current.asLong()) + amount;
    values.put(name, LongNode.valueOf(next));
    return next;
  }

  /** Appends {@code item} to log {@code name} (empty when new) and returns a copy of the log. */
  synchronized ArrayNode append(String name, String item) {
    JsonNode current = values.get(name);
    ArrayNode log =
        current instanceof ArrayNode array ? array : JsonNodeFactory.instance.arrayNode();
    log.add(item);
    values.put(name, log);
    return log.deepCopy();
  }
}
