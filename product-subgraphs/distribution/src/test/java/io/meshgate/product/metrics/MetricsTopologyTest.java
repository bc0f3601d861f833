package io.meshgate.product.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.distribution.DistributionProduct;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.events.ChangeOp;
import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.events.SourcePosition;
import io.meshgate.runtime.metrics.MetricCodec;
import io.meshgate.runtime.metrics.WindowedMetric;
import io.meshgate.runtime.topics.EventSchemas;
import io.meshgate.runtime.topics.Topics;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTopologyTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventSchemas SCHEMAS = new EventSchemas();
  private static final ChangeEventCodec CODEC = new ChangeEventCodec(SCHEMAS);
  private static final MetricCodec METRICS = new MetricCodec(SCHEMAS);
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final Duration GRACE = Duration.ofSeconds(10);
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final String BERLIN = "7f000000-0000-4000-8000-000000000001";
  private static final String LYON = "7f000000-0000-4000-8000-000000000002";

  @TempDir Path stateDir;

  private final AtomicLong lsn = new AtomicLong(1_000);
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> warehouses;
  private TestInputTopic<String, byte[]> orders;
  private TestOutputTopic<String, byte[]> metrics;

  @BeforeEach
  void startTopology() {
    MetricsTopology topology =
        new MetricsTopology(
            DistributionProduct.DEFINITION,
            CODEC,
            METRICS,
            WINDOW,
            GRACE,
            Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC));
    Properties properties = MetricsStreams.properties("distribution", "127.0.0.1:9", stateDir);
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    driver = new TopologyTestDriver(topology.build(properties), properties);
    warehouses =
        driver.createInputTopic(
            Topics.changes("distribution", "warehouse"),
            new StringSerializer(),
            new ByteArraySerializer());
    orders =
        driver.createInputTopic(
            Topics.changes("distribution", "order"),
            new StringSerializer(),
            new ByteArraySerializer());
    metrics =
        driver.createOutputTopic(
            Topics.metrics("distribution"), new StringDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stopTopology() {
    driver.close();
  }

  @Test
  void countsOrdersAndRevenuePerWarehouseAndCurrencyPerWindow() throws Exception {
    warehouse(BERLIN, "BER", T0.minusSeconds(600));
    warehouse(LYON, "LYS", T0.minusSeconds(600));
    order(BERLIN, "EUR", "10.00", T0.plusSeconds(1));
    order(BERLIN, "EUR", "32.50", T0.plusSeconds(20));
    order(BERLIN, "USD", "7.25", T0.plusSeconds(30));
    order(LYON, "EUR", "100.00", T0.plusSeconds(59));
    order(LYON, "EUR", "1.00", T0.plusSeconds(61));

    Map<String, WindowedMetric> latest = latest();
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER", T0, false))
        .isEqualTo(new Aggregate(2, "42.50", "32.50"));
    assertThat(value(latest, "orders", "currency=USD,warehouse=BER", T0, false))
        .isEqualTo(new Aggregate(1, "7.25", "7.25"));
    assertThat(value(latest, "orders", "currency=EUR,warehouse=LYS", T0, false))
        .isEqualTo(new Aggregate(1, "100.00", "100.00"));
    assertThat(value(latest, "orders", "currency=EUR,warehouse=LYS", T0.plusSeconds(60), false))
        .isEqualTo(new Aggregate(1, "1.00", "1.00"));
    assertThat(latest.values())
        .allSatisfy(
            metric -> {
              assertThat(metric.product()).isEqualTo("distribution");
              assertThat(metric.windowEnd()).isEqualTo(metric.windowStart().plus(WINDOW));
            });
  }

  @Test
  void countsLateEventsApartInsteadOfDroppingThem() throws Exception {
    warehouse(BERLIN, "BER", T0.minusSeconds(600));
    order(BERLIN, "EUR", "10.00", T0.plusSeconds(5));
    // Stream time moves to 1:15, so the 10:00 window (end 10:01, grace 10 s) closed at 10:01:10.
    order(BERLIN, "EUR", "20.00", T0.plusSeconds(75));
    order(BERLIN, "EUR", "3.00", T0.plusSeconds(30));
    order(BERLIN, "EUR", "4.00", T0.plusSeconds(45));

    Map<String, WindowedMetric> latest = latest();
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER", T0, false))
        .isEqualTo(new Aggregate(1, "10.00", "10.00"));
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER", T0, true))
        .isEqualTo(new Aggregate(2, "7.00", "4.00"));
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER", T0.plusSeconds(60), false))
        .isEqualTo(new Aggregate(1, "20.00", "20.00"));
  }

  @Test
  void acceptsEventsWithinTheGracePeriodIntoTheirWindow() throws Exception {
    warehouse(BERLIN, "BER", T0.minusSeconds(600));
    order(BERLIN, "EUR", "10.00", T0.plusSeconds(5));
    // Stream time 10:01:09: the 10:00 window ended but its grace period has one second left.
    order(BERLIN, "EUR", "20.00", T0.plusSeconds(69));
    order(BERLIN, "EUR", "5.00", T0.plusSeconds(50));

    Map<String, WindowedMetric> latest = latest();
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER", T0, false))
        .isEqualTo(new Aggregate(2, "15.00", "10.00"));
    assertThat(latest)
        .doesNotContainKey(
            "distribution|orders|currency=EUR|warehouse=BER@" + T0.toEpochMilli() + "|late");
  }

  @Test
  void enrichesWithTheLatestWarehouseStateAndMarksUnknownReferences() throws Exception {
    warehouse(BERLIN, "BER", T0.minusSeconds(600));
    order(BERLIN, "EUR", "10.00", T0.plusSeconds(1));
    warehouse(BERLIN, "BER2", T0.plusSeconds(2));
    order(BERLIN, "EUR", "11.00", T0.plusSeconds(3));
    order(UUID.randomUUID().toString(), "EUR", "12.00", T0.plusSeconds(4));

    Map<String, WindowedMetric> latest = latest();
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER", T0, false).count())
        .isEqualTo(1);
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER2", T0, false).count())
        .isEqualTo(1);
    assertThat(value(latest, "orders", "currency=EUR,warehouse=unknown", T0, false).count())
        .isEqualTo(1);
  }

  @Test
  void measuresChangeRateAndFreshnessPerDatasetAndSkipsInvalidEvents() throws Exception {
    warehouse(BERLIN, "BER", T0);
    order(BERLIN, "EUR", "10.00", T0.plusSeconds(1));
    order(BERLIN, "EUR", "11.00", T0.plusSeconds(2));
    orders.pipeInput(
        "not-an-order",
        "{\"format\":\"something else\"}".getBytes(StandardCharsets.UTF_8),
        T0.plusSeconds(3));

    Map<String, WindowedMetric> latest = latest();
    assertThat(value(latest, "changes", "dataset=order,op=c", T0, false).count()).isEqualTo(2);
    assertThat(value(latest, "changes", "dataset=warehouse,op=c", T0, false).count()).isEqualTo(1);
    // The clock reads one hour after T0: every change was processed about an hour after its commit.
    assertThat(value(latest, "freshness_lag_ms", "dataset=order", T0, false))
        .isEqualTo(new Aggregate(2, Long.toString(2 * 3_600_000L - 3_000L), "3599000"));
  }

  @Test
  void countsARedeliveredOrReplayedChangeOnceInItsCommitTimeWindow() throws Exception {
    warehouse(BERLIN, "BER", T0);
    String id = UUID.randomUUID().toString();
    byte[] placed =
        CODEC.encode(
            event(
                "order",
                id,
                orderRow(id, BERLIN, "EUR", "10.00", T0.plusSeconds(1)),
                T0.plusSeconds(1)));
    orders.pipeInput(id, placed, T0.plusSeconds(1));
    // Redelivered by capture, then replayed minutes later: the record timestamps differ, the
    // commit time and LSN in the payload do not.
    orders.pipeInput(id, placed, T0.plusSeconds(2));
    order(BERLIN, "EUR", "5.00", T0.plusSeconds(300));
    orders.pipeInput(id, placed, T0.plusSeconds(301));

    Map<String, WindowedMetric> latest = latest();
    assertThat(value(latest, "orders", "currency=EUR,warehouse=BER", T0, false))
        .isEqualTo(new Aggregate(1, "10.00", "10.00"));
    assertThat(latest.values()).noneMatch(m -> m.metric().equals("orders") && m.late());
    assertThat(value(latest, "changes", "dataset=order,op=c", T0, false).count()).isEqualTo(1);
  }

  @Test
  void publishesMetricsThatValidateAgainstTheirSchema() throws Exception {
    warehouse(BERLIN, "BER", T0);
    order(BERLIN, "EUR", "10.00", T0.plusSeconds(1));

    List<byte[]> published = new ArrayList<>(metrics.readValuesToList());
    assertThat(published).isNotEmpty();
    for (byte[] value : published) {
      assertThat(SCHEMAS.violations(MetricCodec.SCHEMA, JSON.readTree(value))).isEmpty();
    }
  }

  private Map<String, WindowedMetric> latest() throws InvalidEventException {
    Map<String, byte[]> raw = metrics.readKeyValuesToMap();
    Map<String, WindowedMetric> decoded = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> entry : raw.entrySet()) {
      WindowedMetric metric = METRICS.decode(entry.getValue());
      assertThat(entry.getKey()).isEqualTo(metric.recordKey());
      decoded.put(entry.getKey(), metric);
    }
    return decoded;
  }

  private static Aggregate value(
      Map<String, WindowedMetric> latest,
      String metric,
      String dimensions,
      Instant windowStart,
      boolean late) {
    WindowedMetric found =
        latest.values().stream()
            .filter(
                m ->
                    m.metric().equals(metric)
                        && m.dimensionsKey().equals(dimensions)
                        && m.windowStart().equals(windowStart)
                        && m.late() == late)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no "
                            + (late ? "late " : "")
                            + metric
                            + " "
                            + dimensions
                            + " at "
                            + windowStart
                            + " in "
                            + latest.keySet()));
    return new Aggregate(found.count(), plain(found.sum()), plain(found.max()));
  }

  private static String plain(BigDecimal value) {
    return value == null ? null : value.toPlainString();
  }

  private record Aggregate(long count, String sum, String max) {}

  private void warehouse(String id, String code, Instant commitTime) {
    ObjectNode row =
        JSON.createObjectNode()
            .put("id", id)
            .put("code", code)
            .put("name", code + " hub")
            .put("country", "DE");
    warehouses.pipeInput(id, CODEC.encode(event("warehouse", id, row, commitTime)), commitTime);
  }

  private void order(String warehouseId, String currency, String total, Instant commitTime) {
    String id = UUID.randomUUID().toString();
    ObjectNode row = orderRow(id, warehouseId, currency, total, commitTime);
    orders.pipeInput(id, CODEC.encode(event("order", id, row, commitTime)), commitTime);
  }

  private static ObjectNode orderRow(
      String id, String warehouseId, String currency, String total, Instant commitTime) {
    return JSON.createObjectNode()
        .put("id", id)
        .put("customer_id", UUID.randomUUID().toString())
        .put("warehouse_id", warehouseId)
        .put("status", "PLACED")
        .put("currency", currency)
        .put("total", total)
        .put("placed_at", commitTime.toString())
        .put("updated_at", commitTime.toString());
  }

  private ChangeEvent event(String entity, String id, ObjectNode row, Instant commitTime) {
    return new ChangeEvent(
        "distribution",
        entity,
        1,
        JSON.createObjectNode().put("id", id),
        ChangeOp.CREATE,
        null,
        row,
        new SourcePosition(lsn.incrementAndGet(), 7L, commitTime, false),
        commitTime);
  }
}
