package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.launcher.Mesh;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream processors' windowed metrics, read through the gateway, equal what an independent
 * count over the same change events gives: orders and revenue per warehouse, currency and minute.
 */
class MetricsIT {

  private static final Duration SETTLED = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDER_TOPIC = "mesh.distribution.order.changes";
  private static final String PLACE =
      """
      mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }\
      """;
  private static final String METRICS =
      """
      query($metric: String) { distribution { metrics(window: "P1D", metric: $metric, first: 1000) {
        name dimensions { name value } windowStart windowEnd count sum lateCount lateSum totalCount totalSum } } }\
      """;

  private static Mesh mesh;
  private static GraphQlClient gateway;

  @BeforeAll
  static void startMesh() {
    mesh = SharedMesh.get();
    gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    await()
        .atMost(SETTLED)
        .until(
            () -> gateway.data("{ warehouses { id } }", Map.of()).path("warehouses").size() == 3);
  }

  @Test
  void ordersPerWarehouseCurrencyAndMinuteMatchAnIndependentCountOfTheOrderEvents()
      throws Exception {
    JsonNode warehouses = gateway.data("{ warehouses { id code } }", Map.of()).path("warehouses");
    List<String> currencies = List.of("EUR", "USD");
    for (int i = 0; i < 36; i++) {
      String warehouse = warehouses.get(i % warehouses.size()).path("id").asText();
      Map<String, Object> input =
          Map.of(
              "customerId", UUID.randomUUID().toString(),
              "warehouseId", warehouse,
              "currency", currencies.get(i % 2),
              "lines",
                  List.of(
                      Map.of(
                          "sku",
                          "METRIC-" + i,
                          "quantity",
                          1 + i % 3,
                          "unitPrice",
                          (10 + i) + ".25")));
      gateway.data(PLACE, Map.of("input", input));
    }

    Map<String, String> codes = new HashMap<>();
    warehouses.forEach(w -> codes.put(w.path("id").asText(), w.path("code").asText()));
    await()
        .atMost(SETTLED)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(published()).isEqualTo(independentCount(codes)));
  }

  @Test
  void everyProductMeasuresItsChangeRateAndFreshness() {
    await()
        .atMost(SETTLED)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (String product : List.of("sales", "distribution", "finance")) {
                JsonNode metrics =
                    gateway
                        .data(
                            "{ "
                                + product
                                + " { metrics(window: \"P1D\", first: 1000) { name count } } }",
                            Map.of())
                        .path(product)
                        .path("metrics");
                Set<String> names = new HashSet<>();
                metrics.forEach(m -> names.add(m.path("name").asText()));
                assertThat(names).as(product).contains("changes", "freshness_lag_ms");
              }
            });
  }

  @Test
  void aMalformedWindowIsAnErrorNamingTheArgument() {
    JsonNode response =
        gateway.execute("{ distribution { metrics(window: \"an hour\") { name } } }", Map.of());
    assertThat(response.path("errors").toString()).contains("window").contains("ISO-8601");
  }

  /**
   * Totals per window (in time and late) as the gateway serves them, keyed
   * window|warehouse|currency.
   */
  private static Map<String, String> published() {
    JsonNode metrics =
        gateway.data(METRICS, Map.of("metric", "orders")).path("distribution").path("metrics");
    Map<String, String> totals = new TreeMap<>();
    for (JsonNode m : metrics) {
      Map<String, String> dimensions = new HashMap<>();
      m.path("dimensions")
          .forEach(d -> dimensions.put(d.path("name").asText(), d.path("value").asText()));
      totals.put(
          m.path("windowStart").asText()
              + "|"
              + dimensions.get("warehouse")
              + "|"
              + dimensions.get("currency"),
          m.path("totalCount").asInt()
              + " orders, "
              + new BigDecimal(m.path("totalSum").asText()).stripTrailingZeros().toPlainString());
    }
    return totals;
  }

  /**
   * Reads every order event on the topic and counts order creations (each row and LSN once) per
   * minute of commit time, warehouse code and currency: what the metric must say.
   */
  private static Map<String, String> independentCount(Map<String, String> codes) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal> sums = new HashMap<>();
    Set<String> seen = new HashSet<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(ORDER_TOPIC).stream()
              .map(p -> new TopicPartition(ORDER_TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          JsonNode event = JSON.readTree(record.value());
          if (!event.path("op").asText().equals("c")
              || !seen.add(record.key() + "@" + event.at("/source/lsn").asLong())) {
            continue;
          }
          Instant commit = Instant.parse(event.at("/source/commitTime").asText());
          Instant window =
              Instant.ofEpochMilli(
                  commit.toEpochMilli() - Math.floorMod(commit.toEpochMilli(), 60_000L));
          JsonNode after = event.path("after");
          String key =
              window
                  + "|"
                  + codes.getOrDefault(after.path("warehouse_id").asText(), "unknown")
                  + "|"
                  + after.path("currency").asText();
          counts.computeIfAbsent(key, k -> new long[1])[0]++;
          sums.merge(key, new BigDecimal(after.path("total").asText()), BigDecimal::add);
        }
      }
    }
    Map<String, String> expected = new TreeMap<>();
    counts.forEach(
        (key, count) ->
            expected.put(
                key, count[0] + " orders, " + sums.get(key).stripTrailingZeros().toPlainString()));
    return expected;
  }
}
