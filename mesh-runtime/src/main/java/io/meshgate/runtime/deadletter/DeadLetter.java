package io.meshgate.runtime.deadletter;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An event that could not be accepted, kept with the reason so that nothing is lost silently
 * (format {@code meshgate.dead-letter}, version 1).
 *
 * @param product product whose dead-letter topic holds it
 * @param stage where it was rejected: {@code capture} (before publishing) or {@code read-model}
 * @param reasons every reason it was rejected
 * @param origin where it came from: a topic/partition/offset, or the source table
 * @param key the original record key, if any
 * @param payload the original payload as text, untouched
 * @param rejectedAt when it was rejected
 */
public record DeadLetter(
    String product,
    String stage,
    List<String> reasons,
    String origin,
    @Nullable String key,
    @Nullable String payload,
    Instant rejectedAt) {

  /** Name of this persistent format. */
  public static final String FORMAT = "meshgate.dead-letter";

  public DeadLetter {
    reasons = List.copyOf(reasons);
  }

  /** The dead letter as UTF-8 JSON. */
  public byte[] encode() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", FORMAT);
    node.put("formatVersion", 1);
    node.put("product", product);
    node.put("stage", stage);
    node.putArray("reasons")
        .addAll(reasons.stream().map(JsonNodeFactory.instance::textNode).toList());
    node.put("origin", origin);
    node.put("key", key);
    node.put("payload", payload);
    node.put("rejectedAt", rejectedAt.toString());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }
}
