package io.meshgate.product.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.distribution.DistributionProduct;
import io.meshgate.runtime.deadletter.KafkaDeadLetters;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.events.ChangeOp;
import io.meshgate.runtime.events.SourcePosition;
import io.meshgate.runtime.metrics.MetricCodec;
import io.meshgate.runtime.metrics.WindowedMetric;
import io.meshgate.runtime.topics.EventSchemas;
import io.meshgate.runtime.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record the metric processors fail on goes to the product's dead-letter topic with the reason,
 * and the records after it are still measured (Kafka Streams' {@code TopologyTestDriver} with the
 * processors' own settings). The fault is put in through the processing-time clock, which throws
 * while one chosen record is processed.
 */
class MetricsDeadLettersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventSchemas SCHEMAS = new EventSchemas();
  private static final ChangeEventCodec CODEC = new ChangeEventCodec(SCHEMAS);
  private static final MetricCodec METRICS = new MetricCodec(SCHEMAS);
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final String BERLIN = "7f000000-0000-4000-8000-000000000001";

  @TempDir Path stateDir;

  private final AtomicLong lsn = new AtomicLong(1_000);
  private final FailingClock clock = new FailingClock(T0.plus(Duration.ofHours(1)));
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> orders;
  private TestOutputTopic<String, byte[]> metrics;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void startTopology() {
    MetricsTopology topology =
        new MetricsTopology(
            DistributionProduct.DEFINITION,
            CODEC,
            METRICS,
            Duration.ofMinutes(1),
            Duration.ofSeconds(10),
            clock);
    Properties properties = MetricsStreams.properties("distribution", "127.0.0.1:9", stateDir);
    properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    properties.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    driver = new TopologyTestDriver(topology.build(properties), properties);
    orders =
        driver.createInputTopic(
            Topics.changes("distribution", "order"),
            new StringSerializer(),
            new ByteArraySerializer());
    metrics =
        driver.createOutputTopic(
            Topics.metrics("distribution"), new StringDeserializer(), new ByteArrayDeserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.deadLetter("distribution"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  @AfterEach
  void stopTopology() {
    driver.close();
  }

  @Test
  void aRecordAProcessorFailsOnIsDeadLetteredAndTheRestIsMeasured() throws Exception {
    order("1", T0.plusSeconds(1));
    clock.failing = true;
    String poison = order("2", T0.plusSeconds(2));
    clock.failing = false;
    order("3", T0.plusSeconds(3));
    order("4", T0.plusSeconds(4));

    List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
    assertThat(letters).hasSize(1);
    TestRecord<byte[], byte[]> letter = letters.getFirst();
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo(poison);
    JsonNode body = JSON.readTree(letter.value());
    assertThat(body.get("format").asText()).isEqualTo("meshgate.dead-letter");
    assertThat(body.get("product").asText()).isEqualTo("distribution");
    assertThat(body.get("stage").asText()).isEqualTo(MetricsDeadLetters.STAGE);
    assertThat(body.get("origin").asText())
        .isEqualTo(Topics.changes("distribution", "order") + "/0@1");
    assertThat(body.get("reasons").get(0).asText())
        .contains("java.lang.IllegalStateException")
        .contains("clock unavailable");
    assertThat(JSON.readTree(body.get("payload").asText()).get("key").get("id").asText())
        .isEqualTo(poison);
    assertThat(
            new String(
                letter.headers().lastHeader(KafkaDeadLetters.REASON_HEADER).value(),
                StandardCharsets.UTF_8))
        .contains("IllegalStateException");

    // The change rate counts every order but the dead-lettered one, the ones after it included.
    Map<String, WindowedMetric> latest = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> entry : metrics.readKeyValuesToMap().entrySet()) {
      latest.put(entry.getKey(), METRICS.decode(entry.getValue()));
    }
    WindowedMetric changes =
        latest.values().stream()
            .filter(
                m ->
                    m.metric().equals("changes")
                        && m.dimensionsKey().equals("dataset=order,op=c")
                        && !m.late())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no change rate in " + latest.keySet()));
    assertThat(changes.count()).isEqualTo(3);
    assertThat(changes.windowStart()).isEqualTo(T0);
  }

  /** Processing time that can be made to fail, as a broken dependency of a processor would. */
  private static final class FailingClock extends Clock {

    private final Clock fixed;
    volatile boolean failing;

    FailingClock(Instant now) {
      this.fixed = Clock.fixed(now, ZoneOffset.UTC);
    }

    @Override
    public ZoneId getZone() {
      return fixed.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      if (failing) {
        throw new IllegalStateException("clock unavailable");
      }
      return fixed.instant();
    }
  }

  private String order(String suffix, Instant commitTime) {
    String id = UUID.nameUUIDFromBytes(suffix.getBytes(StandardCharsets.UTF_8)).toString();
    ObjectNode row =
        JSON.createObjectNode()
            .put("id", id)
            .put("customer_id", UUID.randomUUID().toString())
            .put("warehouse_id", BERLIN)
            .put("status", "PLACED")
            .put("currency", "EUR")
            .put("total", "10.00")
            .put("placed_at", commitTime.toString())
            .put("updated_at", commitTime.toString());
    ChangeEvent event =
        new ChangeEvent(
            "distribution",
            "order",
            1,
            JSON.createObjectNode().put("id", id),
            ChangeOp.CREATE,
            null,
            row,
            new SourcePosition(lsn.incrementAndGet(), 7L, commitTime, false),
            commitTime);
    orders.pipeInput(id, CODEC.encode(event), commitTime);
    return id;
  }
}
