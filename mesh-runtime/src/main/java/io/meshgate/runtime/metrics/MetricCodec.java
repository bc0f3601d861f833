package io.meshgate.runtime.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.topics.EventSchemas;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link WindowedMetric}s in their published JSON form, checked against its
 * schema.
 */
public final class MetricCodec {

  /** Classpath location of the format's JSON Schema. */
  public static final String SCHEMA = "meshgate/events/metric.v1.schema.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EventSchemas schemas;

  public MetricCodec(EventSchemas schemas) {
    this.schemas = schemas;
  }

  /** The metric as a JSON document of the published format. */
  public byte[] encode(WindowedMetric metric) {
    ObjectNode node = JSON.createObjectNode();
    node.put("format", WindowedMetric.FORMAT);
    node.put("formatVersion", WindowedMetric.FORMAT_VERSION);
    node.put("product", metric.product());
    node.put("metric", metric.metric());
    ObjectNode dimensions = node.putObject("dimensions");
    metric.dimensions().forEach(dimensions::put);
    node.put("windowStart", metric.windowStart().toString());
    node.put("windowEnd", metric.windowEnd().toString());
    node.put("late", metric.late());
    node.put("count", metric.count());
    node.put("sum", plain(metric.sum()));
    node.put("max", plain(metric.max()));
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses and validates one published metric.
   *
   * @throws InvalidEventException naming every problem when the payload is not a valid metric
   */
  public WindowedMetric decode(byte @Nullable [] payload) throws InvalidEventException {
    if (payload == null) {
      throw new InvalidEventException(List.of("$: record has no value, expected a metric"));
    }
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (IOException e) {
      throw new InvalidEventException(List.of("$: not JSON: " + e.getMessage()));
    }
    List<String> violations = schemas.violations(SCHEMA, node);
    if (!violations.isEmpty()) {
      throw new InvalidEventException(violations);
    }
    Map<String, String> dimensions = new LinkedHashMap<>();
    node.get("dimensions")
        .properties()
        .forEach(e -> dimensions.put(e.getKey(), e.getValue().asText()));
    return new WindowedMetric(
        node.get("product").asText(),
        node.get("metric").asText(),
        dimensions,
        Instant.parse(node.get("windowStart").asText()),
        Instant.parse(node.get("windowEnd").asText()),
        node.get("late").asBoolean(),
        node.get("count").asLong(),
        decimal(node.get("sum")),
        decimal(node.get("max")));
  }

  private static @Nullable String plain(@Nullable BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }

  private static @Nullable BigDecimal decimal(JsonNode node) {
    return node.isNull() ? null : new BigDecimal(node.asText());
  }
}
