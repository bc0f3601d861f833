package io.meshgate.product.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.jspecify.annotations.Nullable;

/**
 * Serdes of the values the metric topology keeps in its repartition topics and state stores. They
 * are internal to the topology, but they are on disk and in Kafka, so they carry a format version
 * ({@code v}) like every persistent format of the mesh.
 */
final class InternalSerdes {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  private InternalSerdes() {}

  static Serde<MetricPoint> points() {
    return json(InternalSerdes::writePoint, InternalSerdes::readPoint);
  }

  static Serde<MetricAggregate> aggregates() {
    return json(InternalSerdes::writeAggregate, InternalSerdes::readAggregate);
  }

  private static ObjectNode writePoint(MetricPoint point) {
    ObjectNode node = header();
    node.put("metric", point.metric());
    writeDimensions(node, point.dimensions());
    node.put("value", point.value() == null ? null : point.value().toPlainString());
    node.put("eventTime", point.eventTime());
    node.put("late", point.late());
    return node;
  }

  private static MetricPoint readPoint(JsonNode node) {
    return new MetricPoint(
        node.get("metric").asText(),
        readDimensions(node),
        decimal(node.get("value")),
        node.get("eventTime").asLong(),
        node.get("late").asBoolean());
  }

  private static ObjectNode writeAggregate(MetricAggregate aggregate) {
    ObjectNode node = header();
    node.put("metric", aggregate.metric());
    writeDimensions(node, aggregate.dimensions());
    node.put("count", aggregate.count());
    node.put("sum", aggregate.sum() == null ? null : aggregate.sum().toPlainString());
    node.put("max", aggregate.max() == null ? null : aggregate.max().toPlainString());
    return node;
  }

  private static MetricAggregate readAggregate(JsonNode node) {
    return new MetricAggregate(
        node.get("metric").asText(),
        readDimensions(node),
        node.get("count").asLong(),
        decimal(node.get("sum")),
        decimal(node.get("max")));
  }

  private static ObjectNode header() {
    ObjectNode node = JSON.createObjectNode();
    node.put("v", VERSION);
    return node;
  }

  private static void writeDimensions(ObjectNode node, Map<String, String> dimensions) {
    ObjectNode target = node.putObject("dimensions");
    dimensions.forEach(target::put);
  }

  private static Map<String, String> readDimensions(JsonNode node) {
    Map<String, String> dimensions = new TreeMap<>();
    node.get("dimensions")
        .properties()
        .forEach(e -> dimensions.put(e.getKey(), e.getValue().asText()));
    return dimensions;
  }

  private static @Nullable BigDecimal decimal(@Nullable JsonNode node) {
    return node == null || node.isNull() ? null : new BigDecimal(node.asText());
  }

  private static <T> Serde<T> json(Function<T, ObjectNode> writer, Function<JsonNode, T> reader) {
    return Serdes.serdeFrom(
        (topic, value) ->
            value == null ? null : writer.apply(value).toString().getBytes(StandardCharsets.UTF_8),
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            JsonNode node = JSON.readTree(bytes);
            int version = node.path("v").asInt();
            if (version != VERSION) {
              throw new IllegalStateException(
                  "metric state of format version "
                      + version
                      + " cannot be read by this version ("
                      + VERSION
                      + ")");
            }
            return reader.apply(node);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
