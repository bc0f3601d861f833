package io.meshgate.audit.ingest;

import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The names of the mesh's change topics, {@code mesh.<product>.<entity>.changes}. */
public final class ChangeTopics {

  /** Every product's change topics, whichever products exist now or are added later. */
  public static final Pattern PATTERN =
      Pattern.compile("mesh\\.([a-z][a-z0-9]*)\\.([a-z][a-z0-9_]*)\\.changes");

  private ChangeTopics() {}

  /** The change topics among {@code topics}, sorted. */
  public static List<String> among(Collection<String> topics) {
    return topics.stream().filter(topic -> PATTERN.matcher(topic).matches()).sorted().toList();
  }

  /** The product a change topic belongs to. */
  public static String product(String topic) {
    return match(topic).group(1);
  }

  /** The entity a change topic carries. */
  public static String entity(String topic) {
    return match(topic).group(2);
  }

  /** The change topic of a product's entity. */
  public static String of(String product, String entity) {
    return "mesh." + product + "." + entity + ".changes";
  }

  private static Matcher match(String topic) {
    Matcher matcher = PATTERN.matcher(topic);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + topic + "' is not a change topic mesh.<product>.<entity>.changes");
    }
    return matcher;
  }
}
