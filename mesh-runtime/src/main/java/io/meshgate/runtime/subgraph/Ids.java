package io.meshgate.runtime.subgraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Ids and batches as every product's subgraph handles them: UUIDs, errors naming the field. */
public final class Ids {

  private Ids() {}

  /**
   * Parses a canonical UUID.
   *
   * @param field the argument or input field, named in the error
   * @param noun what the id identifies, e.g. {@code customer id}
   */
  public static UUID parse(String field, String id, String noun) {
    try {
      UUID parsed = UUID.fromString(id.trim());
      if (!parsed.toString().equalsIgnoreCase(id.trim())) {
        throw new IllegalArgumentException(id);
      }
      return parsed;
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          field,
          "'"
              + id
              + "' is not "
              + article(noun)
              + " (a UUID such as 3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41)");
    }
  }

  /** Parses the ids of entity representations the gateway sent. */
  public static List<UUID> parseRepresentations(List<String> ids) {
    List<UUID> parsed = new ArrayList<>(ids.size());
    ids.forEach(id -> parsed.add(parse("representations.id", id, "id")));
    return parsed;
  }

  /**
   * A value per parent in request order, for {@code @BatchMapping}; parents without one are left
   * out.
   */
  public static <P, V> Map<P, V> byParent(List<P> parents, Function<P, @Nullable V> value) {
    Map<P, V> result = new LinkedHashMap<>();
    for (P parent : parents) {
      V v = value.apply(parent);
      if (v != null) {
        result.put(parent, v);
      }
    }
    return result;
  }

  private static String article(String noun) {
    return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }
}
