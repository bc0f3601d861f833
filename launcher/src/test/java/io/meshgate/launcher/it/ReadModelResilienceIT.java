package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.launcher.Mesh;
import io.meshgate.product.runtime.ProductPipeline;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fault injection on the flow: bad events, stale redeliveries, restarts mid-stream. */
class ReadModelResilienceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOPIC = "mesh.sales.customer.changes";
  private static final String DEAD_LETTERS = "mesh.sales.deadletter";

  private static Mesh mesh;
  private static GraphQlClient sales;

  @BeforeAll
  static void startMesh() {
    mesh = SharedMesh.get();
    sales = new GraphQlClient(mesh.salesUrl().resolve("/graphql"));
  }

  @Test
  void invalidEventsLandInTheDeadLetterTopicWithAReasonAndTheConsumerGoesOn() throws Exception {
    String badKey = "bad-" + UUID.randomUUID();
    String invalidCustomer = event(UUID.randomUUID(), "c", 1, "Nobody", "not-an-email");
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC, badKey, "{ this is not json".getBytes(StandardCharsets.UTF_8)))
          .get();
      producer
          .send(
              new ProducerRecord<>(TOPIC, badKey, invalidCustomer.getBytes(StandardCharsets.UTF_8)))
          .get();
    }

    // The consumer goes on: a real change after the bad ones still arrives.
    String id = upsert(null, "After The Bad Ones", "after@example.com");
    awaitName(id, "After The Bad Ones");

    List<JsonNode> all = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              all.clear();
              all.addAll(deadLettersWithKey(badKey));
              return stage(all, "read-model").size() >= 2 && !stage(all, "audit").isEmpty();
            });
    // The audit log sets aside the record it cannot read too, under its own stage.
    assertThat(stage(all, "audit"))
        .anySatisfy(letter -> assertThat(letter.path("reasons").toString()).contains("not JSON"));
    List<JsonNode> letters = stage(all, "read-model");
    assertThat(letters)
        .allSatisfy(
            letter -> {
              assertThat(letter.path("format").asText()).isEqualTo("meshgate.dead-letter");
              assertThat(letter.path("stage").asText()).isEqualTo("read-model");
              assertThat(letter.path("origin").asText()).startsWith(TOPIC + "/");
              assertThat(letter.path("reasons")).isNotEmpty();
            });
    assertThat(letters)
        .anySatisfy(
            letter -> assertThat(letter.path("reasons").toString()).contains("not valid JSON"));
    assertThat(letters)
        .anySatisfy(
            letter -> {
              assertThat(letter.path("reasons").toString()).contains("$.after.email");
              assertThat(letter.path("payload").asText()).isEqualTo(invalidCustomer);
            });
  }

  @Test
  void aValidEventTheReadModelCannotApplyIsDeadLetteredAndLaterEventsOfItsKeyAreApplied()
      throws Exception {
    UUID id = UUID.randomUUID();
    // Matches the contract's timestamp pattern, but there is no 30 February: the projection refuses
    // it every time.
    String poison =
        event(id, "c", 10, "Impossible", "impossible@example.com")
            .replace(
                "\"created_at\":\"2026-01-01T00:00:00Z\"",
                "\"created_at\":\"2026-02-30T00:00:00Z\"");
    assertThat(poison).contains("2026-02-30");
    try (KafkaProducer<String, byte[]> producer = producer()) {
      String key = "{\"id\":\"" + id + "\"}";
      producer
          .send(new ProducerRecord<>(TOPIC, key, poison.getBytes(StandardCharsets.UTF_8)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC,
                  key,
                  event(id, "u", 11, "Possible", "possible@example.com")
                      .getBytes(StandardCharsets.UTF_8)))
          .get();
    }

    // The event after it, of the same key, is applied; so is a real change made after both.
    awaitName(id.toString(), "Possible");
    String after = upsert(null, "After The Poison", "after-poison@example.com");
    awaitName(after, "After The Poison");

    List<JsonNode> letters = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              letters.clear();
              letters.addAll(stage(deadLettersWithPayload(id.toString()), "read-model"));
              return !letters.isEmpty();
            });
    assertThat(letters)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.path("payload").asText()).isEqualTo(poison);
              assertThat(letter.path("origin").asText()).startsWith(TOPIC + "/");
              assertThat(letter.path("reasons").get(0).asText())
                  .contains("after 5 attempts")
                  .contains("DateTimeParseException")
                  .contains("2026-02-30");
            });
  }

  @Test
  void aStaleOrDuplicateEventNeverOverwritesNewerData() throws Exception {
    String id = upsert(null, "Fresh Name", "fresh@example.com");
    awaitName(id, "Fresh Name");
    long lsn = readModelLsn(UUID.fromString(id));

    ProductPipeline pipeline = mesh.sales().getBean(ProductPipeline.class);
    long appliedBefore = pipeline.readModelApplied();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC,
                  id,
                  event(UUID.fromString(id), "u", lsn - 1, "Stale Name", "stale@example.com")
                      .getBytes(StandardCharsets.UTF_8)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC,
                  id,
                  event(
                          UUID.fromString(id),
                          "u",
                          lsn,
                          "Same Position Other Name",
                          "dup@example.com")
                      .getBytes(StandardCharsets.UTF_8)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  TOPIC,
                  id,
                  event(UUID.fromString(id), "d", lsn - 2, null, null)
                      .getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> pipeline.readModelApplied() >= appliedBefore + 3);

    JsonNode customer =
        sales
            .data("query($id: ID!) { customer(id: $id) { name email } }", Map.of("id", id))
            .path("customer");
    assertThat(customer.path("name").asText()).isEqualTo("Fresh Name");
    assertThat(customer.path("email").asText()).isEqualTo("fresh@example.com");
    assertThat(readModelLsn(UUID.fromString(id))).isEqualTo(lsn);
  }

  @Test
  void restartingCaptureAndConsumerInTheMiddleOfAThousandChangesLosesNothing() throws Exception {
    ProductPipeline pipeline = mesh.sales().getBean(ProductPipeline.class);
    String marker = "restart-" + UUID.randomUUID().toString().substring(0, 8);
    List<UUID> ids = new ArrayList<>();
    CompletableFuture<Void> restart = new CompletableFuture<>();
    try (Connection connection = connect()) {
      connection.setAutoCommit(true);
      Random random = new Random(7);
      for (int i = 0; i < 1000; i++) {
        if (i == 300) {
          // Restart while the writer keeps going: the WAL holds what happens meanwhile.
          CompletableFuture.runAsync(
                  () -> {
                    pipeline.stop();
                    sleep(500);
                    pipeline.start();
                  })
              .whenComplete(
                  (v, e) -> {
                    if (e != null) {
                      restart.completeExceptionally(e);
                    } else {
                      restart.complete(null);
                    }
                  });
        }
        int roll = random.nextInt(10);
        if (ids.size() < 20 || roll < 4) {
          UUID id = UUID.randomUUID();
          ids.add(id);
          insert(connection, id, marker + " " + i);
        } else if (roll < 9) {
          update(connection, ids.get(random.nextInt(ids.size())), marker + " " + i);
        } else {
          UUID id = ids.remove(random.nextInt(ids.size()));
          delete(connection, id);
        }
        if (i % 50 == 0) {
          sleep(20);
        }
      }
    }
    restart.get();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(readModelRows(marker)).isEqualTo(sourceRows(marker)));
    assertThat(sourceRows(marker)).hasSize(ids.size());
  }

  private static String event(UUID id, String op, long lsn, String name, String email) {
    String row =
        name == null
            ? null
            : """
            {"id":"%s","name":"%s","email":"%s","country":"DE","segment":"CONSUMER",
             "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}\
            """
                .formatted(id, name, email);
    String before =
        op.equals("d")
            ? """
            {"id":"%s","name":"Gone","email":"gone@example.com","country":"DE","segment":"CONSUMER",
             "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}\
            """
                .formatted(id)
            : "null";
    return """
    {"format":"meshgate.change-event","formatVersion":1,"schemaVersion":1,"product":"sales",
     "entity":"customer","key":{"id":"%s"},"op":"%s","before":%s,"after":%s,
     "source":{"lsn":%d,"txId":1,"commitTime":"%s","snapshot":false}}\
    """
        .formatted(id, op, before, op.equals("d") ? "null" : row, lsn, Instant.now());
  }

  private static String upsert(String id, String name, String email) {
    Map<String, Object> input =
        new java.util.HashMap<>(
            Map.of("name", name, "email", email, "country", "DE", "segment", "CONSUMER"));
    if (id != null) {
      input.put("id", id);
    }
    return sales
        .data(
            "mutation($input: CustomerInput!) { upsertCustomer(input: $input) { id } }",
            Map.of("input", input))
        .at("/upsertCustomer/id")
        .asText();
  }

  private static void awaitName(String id, String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                sales
                    .data("query($id: ID!) { customer(id: $id) { name } }", Map.of("id", id))
                    .at("/customer/name")
                    .asText()
                    .equals(name));
  }

  private static List<JsonNode> stage(List<JsonNode> letters, String stage) {
    return letters.stream().filter(letter -> letter.path("stage").asText().equals(stage)).toList();
  }

  private static List<JsonNode> deadLettersWithPayload(String text) throws Exception {
    return deadLetters((key, letter) -> letter.path("payload").asText().contains(text), 1);
  }

  private static List<JsonNode> deadLettersWithKey(String key) throws Exception {
    return deadLetters((recordKey, letter) -> key.equals(recordKey), 2);
  }

  private static List<JsonNode> deadLetters(
      java.util.function.BiPredicate<String, JsonNode> match, int enough) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dead-letters-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<JsonNode> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(DEAD_LETTERS));
      long deadline = System.currentTimeMillis() + 5000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          JsonNode letter = JSON.readTree(record.value());
          if (match.test(record.key(), letter)) {
            found.add(letter);
          }
        }
        if (found.size() >= enough) {
          break;
        }
      }
    }
    return found;
  }

  private static KafkaProducer<String, byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private static long readModelLsn(UUID id) throws SQLException {
    try (Connection c = connect();
        PreparedStatement s =
            c.prepareStatement("SELECT source_lsn FROM sales_read.customers WHERE id = ?")) {
      s.setObject(1, id);
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getLong(1);
      }
    }
  }

  private static Set<String> sourceRows(String marker) throws SQLException {
    return rows(
        "SELECT id, name, email, country, segment, created_at, updated_at FROM sales.customers"
            + " WHERE name LIKE ?",
        marker);
  }

  private static Set<String> readModelRows(String marker) throws SQLException {
    return rows(
        "SELECT id, name, email, country, segment, created_at, updated_at FROM sales_read.customers"
            + " WHERE NOT deleted AND name LIKE ?",
        marker);
  }

  private static Set<String> rows(String sql, String marker) throws SQLException {
    Set<String> rows = new HashSet<>();
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, marker + " %");
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          StringBuilder row = new StringBuilder();
          for (int i = 1; i <= 7; i++) {
            row.append(rs.getString(i)).append('|');
          }
          rows.add(row.toString());
        }
      }
    }
    return rows;
  }

  private static void insert(Connection c, UUID id, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO sales.customers (id, name, email, country, segment, created_at,"
                + " updated_at) VALUES (?, ?, ?, 'FR', 'CONSUMER', now(), now())")) {
      s.setObject(1, id);
      s.setString(2, name);
      s.setString(3, "c" + id.toString().substring(0, 8) + "@example.com");
      s.executeUpdate();
    }
  }

  private static void update(Connection c, UUID id, String name) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE sales.customers SET name = ?, updated_at = clock_timestamp() WHERE id = ?")) {
      s.setString(1, name);
      s.setObject(2, id);
      s.executeUpdate();
    }
  }

  private static void delete(Connection c, UUID id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("DELETE FROM sales.customers WHERE id = ?")) {
      s.setObject(1, id);
      s.executeUpdate();
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(mesh.jdbcUrl("sales"), mesh.user(), mesh.password());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
