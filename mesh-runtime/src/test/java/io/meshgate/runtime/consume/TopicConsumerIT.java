package io.meshgate.runtime.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.runtime.deadletter.KafkaDeadLetters;
import io.meshgate.runtime.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The topic consumer every read model and the audit log run on, against a real in-process Kafka
 * cluster, with faults put in on purpose: a rewind that fails, a record that can never be applied,
 * an outage longer than the attempts a record gets, and records deleted before they were read. What
 * it must keep: every record applied or dead-lettered, none skipped in silence.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TopicConsumerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(30);

  private KafkaClusterTestKit kafka;
  private KafkaProducer<String, byte[]> producer;

  @BeforeAll
  void startKafka() throws Exception {
    kafka =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterAll
  void stopKafka() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aRewindThatFailsNeverLetsTheConsumerPassTheFailedBatch() throws Exception {
    String topic = createTopic("mesh.rewind.thing.changes");
    produce(topic, 100, i -> "event-" + i);
    AtomicInteger seeks = new AtomicInteger();
    AtomicInteger failedSeeks = new AtomicInteger();
    // The broker is "away" exactly when the consumer seeks back: the first seek throws.
    Function<Properties, Consumer<String, byte[]>> seekFailsOnce =
        props ->
            new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer()) {
              @Override
              public void seek(TopicPartition partition, long offset) {
                if (seeks.incrementAndGet() == 1) {
                  failedSeeks.incrementAndGet();
                  throw new KafkaException("broker not available");
                }
                super.seek(partition, offset);
              }
            };
    AtomicInteger batches = new AtomicInteger();
    try (RecordingConsumer consumer =
        new RecordingConsumer(
            kafka.bootstrapServers(),
            topic,
            "rewind-group",
            Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10, TopicConsumer.RETRY_BACKOFF_MS, 20),
            seekFailsOnce) {
          @Override
          boolean failBatch(ConsumerRecords<String, byte[]> records) {
            // The second batch fails once, as a database going away would make it.
            return batches.incrementAndGet() == 2;
          }

          @Override
          Exception failure() {
            return new SQLTransientConnectionException("connection refused", "08001");
          }
        }) {
      consumer.start();
      awaitTrue(() -> committed(topic, "rewind-group") == 100);

      assertThat(consumer.applied)
          .as("every event applied exactly once, none skipped")
          .containsExactlyElementsOf(expected(100, i -> "event-" + i));
      assertThat(failedSeeks).hasValue(1);
      assertThat(seeks.get()).as("the seek was tried again").isGreaterThanOrEqualTo(2);
      assertThat(consumer.deadLettered()).isZero();
    }
  }

  @Test
  void aPoisonEventIsDeadLetteredAfterItsAttemptsAndTheEventsAfterItAreApplied() throws Exception {
    String topic = createTopic("mesh.poison.thing.changes");
    createTopic(Topics.deadLetter("poison"));
    produce(topic, 20, i -> i == 7 ? "poison" : "event-" + i);
    try (KafkaDeadLetters deadLetters =
            new KafkaDeadLetters(kafka.bootstrapServers(), "poison-dead-letters");
        RecordingConsumer consumer =
            new RecordingConsumer(
                kafka.bootstrapServers(),
                topic,
                "poison-group",
                Map.of(
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    5,
                    TopicConsumer.MAX_ATTEMPTS,
                    3,
                    TopicConsumer.RETRY_BACKOFF_MS,
                    20),
                TopicConsumerIT::kafkaConsumer) {
              @Override
              boolean failBatch(ConsumerRecords<String, byte[]> records) {
                attempts.addAndGet(
                    records.count() == 1 && value(records.iterator().next()).equals("poison")
                        ? 1
                        : 0);
                return values(records).contains("poison");
              }

              @Override
              Exception failure() {
                return new DateTimeException(
                    "Invalid value for Year (valid values -999999999 - 999999999): 1000000000");
              }

              @Override
              protected void deadLetter(ConsumerRecord<String, byte[]> record, ApplyFailure failure)
                  throws Exception {
                deadLetters.send(failure.deadLetter("poison", "read-model", record));
              }
            }) {
      consumer.start();
      awaitTrue(() -> committed(topic, "poison-group") == 20);

      assertThat(consumer.applied)
          .containsExactlyElementsOf(
              expected(20, i -> "event-" + i).stream()
                  .filter(value -> !value.equals("event-7"))
                  .toList());
      assertThat(consumer.attempts).as("tries of the poison event alone").hasValue(3);
      assertThat(consumer.deadLettered()).isEqualTo(1);

      List<ConsumerRecord<String, byte[]>> letters = readAll(Topics.deadLetter("poison"), 1);
      assertThat(letters).hasSize(1);
      ConsumerRecord<String, byte[]> letter = letters.getFirst();
      assertThat(letter.key()).isEqualTo("key-7");
      JsonNode body = JSON.readTree(letter.value());
      assertThat(body.get("format").asText()).isEqualTo("meshgate.dead-letter");
      assertThat(body.get("stage").asText()).isEqualTo("read-model");
      assertThat(body.get("origin").asText()).isEqualTo(topic + "/0@7");
      assertThat(body.get("payload").asText()).isEqualTo("poison");
      assertThat(body.get("reasons").get(0).asText())
          .contains("3 attempts")
          .contains("java.time.DateTimeException")
          .contains("Invalid value for Year");
      assertThat(header(letter, KafkaDeadLetters.ORIGIN_HEADER)).isEqualTo(topic + "/0@7");
      assertThat(header(letter, KafkaDeadLetters.REASON_HEADER))
          .contains("java.time.DateTimeException");
    }
  }

  @Test
  void anOutageLongerThanTheAttemptsDeadLettersNothing() throws Exception {
    String topic = createTopic("mesh.outage.thing.changes");
    produce(topic, 10, i -> "event-" + i);
    AtomicInteger failures = new AtomicInteger();
    try (RecordingConsumer consumer =
        new RecordingConsumer(
            kafka.bootstrapServers(),
            topic,
            "outage-group",
            Map.of(TopicConsumer.MAX_ATTEMPTS, 2, TopicConsumer.RETRY_BACKOFF_MS, 5),
            TopicConsumerIT::kafkaConsumer) {
          @Override
          boolean failBatch(ConsumerRecords<String, byte[]> records) {
            return failures.incrementAndGet() <= 6; // three times the attempts a bad record gets
          }

          @Override
          Exception failure() {
            return new org.springframework.dao.DataAccessResourceFailureException(
                "database away",
                new java.sql.SQLException("the database system is shutting down", "57P03"));
          }

          @Override
          protected void deadLetter(ConsumerRecord<String, byte[]> record, ApplyFailure failure) {
            throw new AssertionError(
                "an outage must not dead-letter " + ApplyFailure.origin(record));
          }
        }) {
      consumer.start();
      awaitTrue(() -> committed(topic, "outage-group") == 10);
      assertThat(consumer.applied).containsExactlyElementsOf(expected(10, i -> "event-" + i));
      assertThat(consumer.deadLettered()).isZero();
    }
  }

  @Test
  void recordsDeletedBeforeTheyWereReadAreReportedAsAGap() throws Exception {
    String topic = createTopic("mesh.gap.thing.changes");
    produce(topic, 5, i -> "event-" + i);
    List<OffsetGap> gaps = new CopyOnWriteArrayList<>();
    Map<String, Object> overrides = Map.of(TopicConsumer.RETRY_BACKOFF_MS, 20);
    try (RecordingConsumer consumer =
        new GapRecordingConsumer(kafka.bootstrapServers(), topic, overrides, gaps)) {
      consumer.start();
      awaitTrue(() -> committed(topic, "gap-group") == 5);
    }
    // While the consumer is away, records 5..9 arrive and 5..7 are deleted (as retention would).
    produce(topic, 5, i -> "event-" + (i + 5));
    try (Admin admin = kafka.admin()) {
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(8)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    try (RecordingConsumer consumer =
        new GapRecordingConsumer(kafka.bootstrapServers(), topic, overrides, gaps)) {
      consumer.start();
      awaitTrue(() -> committed(topic, "gap-group") == 10);
      assertThat(consumer.applied).containsExactly("event-8", "event-9");
      assertThat(consumer.gapsDetected()).isEqualTo(1);
    }
    assertThat(gaps)
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.topic()).isEqualTo(topic);
              assertThat(gap.partition()).isZero();
              assertThat(gap.fromOffset()).isEqualTo(5);
              assertThat(gap.toOffset()).isEqualTo(7);
            });
  }

  // --- Helpers ---------------------------------------------------------------------------------

  /** Applies a batch by recording its values, unless the test makes it fail. */
  private abstract static class RecordingConsumer extends TopicConsumer {

    final List<String> applied = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger attempts = new AtomicInteger();

    RecordingConsumer(
        String bootstrapServers,
        String topic,
        String group,
        Map<String, Object> overrides,
        Function<Properties, Consumer<String, byte[]>> factory) {
      super(group, group, List.of(topic), bootstrapServers, overrides, factory);
    }

    abstract boolean failBatch(ConsumerRecords<String, byte[]> records);

    abstract Exception failure();

    @Override
    protected void process(ConsumerRecords<String, byte[]> records) throws Exception {
      if (failBatch(records)) {
        throw failure();
      }
      applied.addAll(values(records));
    }

    @Override
    protected void deadLetter(ConsumerRecord<String, byte[]> record, ApplyFailure failure)
        throws Exception {
      throw new AssertionError("nothing should be dead-lettered here: " + failure.reason());
    }
  }

  private static final class GapRecordingConsumer extends RecordingConsumer {

    private final List<OffsetGap> gaps;

    GapRecordingConsumer(
        String bootstrapServers,
        String topic,
        Map<String, Object> overrides,
        List<OffsetGap> gaps) {
      super(bootstrapServers, topic, "gap-group", overrides, TopicConsumerIT::kafkaConsumer);
      this.gaps = gaps;
    }

    @Override
    boolean failBatch(ConsumerRecords<String, byte[]> records) {
      return false;
    }

    @Override
    Exception failure() {
      throw new UnsupportedOperationException();
    }

    @Override
    protected void onGap(OffsetGap gap) {
      gaps.add(gap);
    }
  }

  private static Consumer<String, byte[]> kafkaConsumer(Properties props) {
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private String createTopic(String topic) throws Exception {
    try (Admin admin = kafka.admin()) {
      // One partition: the order of the records is the order they must be applied in.
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    return topic;
  }

  private void produce(String topic, int count, Function<Integer, String> value) throws Exception {
    for (int i = 0; i < count; i++) {
      producer.send(
          new ProducerRecord<>(topic, "key-" + i, value.apply(i).getBytes(StandardCharsets.UTF_8)));
    }
    producer.flush();
  }

  private static List<String> expected(int count, Function<Integer, String> value) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(value.apply(i));
    }
    return values;
  }

  private static List<String> values(ConsumerRecords<String, byte[]> records) {
    List<String> values = new ArrayList<>();
    records.forEach(record -> values.add(value(record)));
    return values;
  }

  private static String value(ConsumerRecord<String, byte[]> record) {
    return new String(record.value(), StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private long committed(String topic, String group) throws Exception {
    try (Admin admin = kafka.admin()) {
      OffsetAndMetadata offset =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS)
              .get(new TopicPartition(topic, 0));
      return offset == null ? -1 : offset.offset();
    }
  }

  private List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      reader.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (records.size() < atLeast && System.nanoTime() < deadline) {
        reader.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      // Anything more that was written by then shows up too.
      reader.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void awaitTrue(Check check) {
    assertTimeoutPreemptively(
        WAIT,
        () -> {
          while (!check.holds()) {
            Thread.sleep(50);
          }
        });
  }
}
