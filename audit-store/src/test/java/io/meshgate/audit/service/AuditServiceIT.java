package io.meshgate.audit.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.ingest.AuditHeadJson;
import io.meshgate.audit.proof.OfflineVerifier;
import io.meshgate.audit.proof.ProofJson;
import io.meshgate.audit.proof.ProofVerdict;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.audit.sign.TreeHeadSigner;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The audit service over a real PostgreSQL, a real in-process Kafka cluster and HTTP: change events
 * published on two products' change topics (and a third product's topic created while it runs)
 * become gapless, verifiable, provable log entries; the last test tampers with a stored row as a
 * superuser would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditServiceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String ADA = "11111111-1111-1111-1111-111111111111";
  private static final String GRACE = "22222222-2222-2222-2222-222222222222";
  private static final String ORDER = "33333333-3333-3333-3333-333333333333";
  private static final String INVOICE = "44444444-4444-4444-4444-444444444444";
  private static final String TRANSACTION = "55555555-5555-5555-5555-555555555555";

  @TempDir static Path stateDir;
  private EmbeddedPostgres postgres;
  private KafkaClusterTestKit kafka;
  private KafkaProducer<String, byte[]> producer;
  private ConfigurableApplicationContext service;
  private final HttpClient http = HttpClient.newHttpClient();
  private URI graphql;
  private final Map<String, Object> properties = new HashMap<>();

  @BeforeAll
  void startPostgresKafkaAndTheService() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE audit");
    }
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
    createTopics(
        "mesh.sales.customer.changes",
        "mesh.finance.invoice.changes",
        "mesh.finance.ledger_transaction.changes");
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());

    properties.put(
        "spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/audit");
    properties.put("spring.datasource.username", "postgres");
    properties.put("spring.datasource.password", "postgres");
    properties.put("meshgate.kafka-bootstrap-servers", kafka.bootstrapServers());
    properties.put("meshgate.state-dir", stateDir.toString());
    properties.put("server.port", "0");
    properties.put("meshgate.audit.head-every-entries", "2");
    properties.put("meshgate.audit.head-interval", "PT1S");
    properties.put("meshgate.audit.topic-discovery-interval", "PT1S");
    // Small enough that sales' log (4 entries) is verified by a job, read two entries per
    // transaction.
    properties.put("meshgate.audit.sync-verify-max-rows", "3");
    properties.put("meshgate.audit.verify-page-entries", "2");
    startService();
  }

  private void startService() {
    service = AuditService.start(properties);
    graphql =
        URI.create(
            "http://127.0.0.1:"
                + service.getEnvironment().getProperty("local.server.port")
                + "/graphql");
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (service != null) {
      service.close();
    }
    if (producer != null) {
      producer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  @Order(1)
  void logsTwoProductsChangesInSourceOrderWithoutGaps() throws Exception {
    publish(change("sales", "customer", ADA, "c", null, customer(ADA, "Ada"), 100));
    publish(change("sales", "customer", GRACE, "c", null, customer(GRACE, "Grace"), 200));
    publish(
        change(
            "sales",
            "customer",
            ADA,
            "u",
            customer(ADA, "Ada"),
            customer(ADA, "Ada Lovelace"),
            300));
    publish(change("finance", "invoice", INVOICE, "c", null, invoice("OPEN"), 50));
    publish(change("finance", "ledger_transaction", TRANSACTION, "c", null, transaction(), 51));
    producer.flush();

    JsonNode sales = awaitLog("sales", 3);
    assertThat(sales.findValuesAsText("seq")).containsExactly("0", "1", "2");
    assertThat(sales.findValuesAsText("lsn")).containsExactly("100", "200", "300");
    assertThat(sales.findValuesAsText("op")).containsExactly("CREATE", "CREATE", "UPDATE");
    JsonNode last = sales.get(2);
    assertThat(last.get("previousHash").asText()).isEqualTo(sales.get(1).get("hash").asText());
    assertThat(JSON.readTree(last.get("after").asText()).get("name").asText())
        .isEqualTo("Ada Lovelace");
    assertThat(last.get("key").asText()).isEqualTo("{\"id\":\"" + ADA + "\"}");

    JsonNode finance = awaitLog("finance", 2);
    // Two topics of one product: appended in the order their polls arrive, each batch by LSN.
    assertThat(finance.findValuesAsText("entity"))
        .containsExactlyInAnyOrder("invoice", "ledger_transaction");
  }

  @Test
  @Order(2)
  void skipsRedeliveriesAndDeadLettersUnreadableRecordsWithoutBlockingTheLog() throws Exception {
    publish(change("sales", "customer", ADA, "c", null, customer(ADA, "Ada"), 100)); // redelivered
    producer.send(
        new ProducerRecord<>(
            "mesh.sales.customer.changes", "junk", "not json".getBytes(StandardCharsets.UTF_8)));
    publish(change("finance", "invoice", INVOICE, "c", null, invoice("OPEN"), 50)); // redelivered
    // Another product's event on sales' topic: not a sales change.
    producer.send(
        new ProducerRecord<>(
            "mesh.sales.customer.changes",
            GRACE,
            JSON.writeValueAsBytes(
                change("finance", "invoice", INVOICE, "u", invoice("OPEN"), invoice("PAID"), 60))));
    // Valid JSON the log cannot hash canonically (a lone surrogate is not I-JSON): skipped alone.
    String unencodable =
        JSON.writeValueAsString(
                change(
                    "sales",
                    "customer",
                    GRACE,
                    "u",
                    customer(GRACE, "Grace"),
                    customer(GRACE, "LONE_SURROGATE"),
                    350))
            .replace("LONE_SURROGATE", "\\ud800");
    producer.send(
        new ProducerRecord<>(
            "mesh.sales.customer.changes", GRACE, unencodable.getBytes(StandardCharsets.UTF_8)));
    publish(change("sales", "customer", GRACE, "d", customer(GRACE, "Grace"), null, 400));
    producer.flush();

    JsonNode sales = awaitLog("sales", 4);
    assertThat(sales).hasSize(4);
    assertThat(sales.findValuesAsText("lsn")).containsExactly("100", "200", "300", "400");
    assertThat(sales.get(3).get("after").isNull()).isTrue();
    assertThat(awaitLog("finance", 2)).hasSize(2);

    // Nothing is passed over in silence: each record the log could not take is on sales'
    // dead-letter
    // topic, with the reason and where it came from.
    List<JsonNode> letters = deadLetters("mesh.sales.deadletter", 3);
    assertThat(letters).extracting(letter -> letter.get("stage").asText()).containsOnly("audit");
    assertThat(letters)
        .extracting(letter -> letter.get("origin").asText())
        .allMatch(origin -> origin.startsWith("mesh.sales.customer.changes/0@"));
    assertThat(letters)
        .extracting(letter -> letter.get("reasons").get(0).asText())
        .anyMatch(reason -> reason.contains("not JSON"))
        .anyMatch(reason -> reason.contains("not of the topic's sales/customer"))
        .anyMatch(
            reason ->
                reason.contains("could not be applied after 5 attempts")
                    && reason.contains("IllegalArgumentException"));
  }

  @Test
  @Order(3)
  void pagesOldestFirstAndSelectsOneRow() throws Exception {
    JsonNode first =
        query(
                "{ auditLog(product: \"sales\", first: 2) { edges { cursor node { seq } } pageInfo"
                    + " { endCursor hasNextPage } } }")
            .get("data")
            .get("auditLog");
    assertThat(first.findValuesAsText("seq")).containsExactly("0", "1");
    assertThat(first.get("pageInfo").get("hasNextPage").asBoolean()).isTrue();
    JsonNode second =
        query(
                "{ auditLog(product: \"sales\", first: 2, after: \""
                    + first.get("pageInfo").get("endCursor").asText()
                    + "\") { edges { node { seq } } pageInfo { hasNextPage } } }")
            .get("data")
            .get("auditLog");
    assertThat(second.findValuesAsText("seq")).containsExactly("2", "3");
    assertThat(second.get("pageInfo").get("hasNextPage").asBoolean()).isFalse();

    JsonNode ada =
        query(
                "{ auditLog(product: \"sales\", entity: \"customer\", key: \""
                    + ADA
                    + "\") { edges { node { seq op } } } }")
            .get("data")
            .get("auditLog");
    assertThat(ada.findValuesAsText("seq")).containsExactly("0", "2");
  }

  @Test
  @Order(4)
  void resolvesHistoryOfProductEntitiesThroughFederation() throws Exception {
    JsonNode entities =
        query(
                """
                { _entities(representations: [{__typename: "Customer", id: "%s"}, {__typename: "Invoice", id: "%s"}]) {
                    ... on Customer { id history { seq op } }
                    ... on Invoice { id history(first: 5) { entity op after } }
                } }\
                """
                    .formatted(ADA, INVOICE))
            .get("data")
            .get("_entities");

    assertThat(entities.get(0).get("id").asText()).isEqualTo(ADA);
    assertThat(entities.get(0).get("history").findValuesAsText("op"))
        .containsExactly("UPDATE", "CREATE"); // newest first
    assertThat(entities.get(0).get("history").findValuesAsText("seq")).containsExactly("2", "0");
    assertThat(entities.get(1).get("history").findValuesAsText("entity"))
        .containsExactly("invoice");

    String sdl = query("{ _service { sdl } }").get("data").get("_service").get("sdl").asText();
    assertThat(sdl)
        .contains("type Transaction @key(fields : \"id\"")
        .contains("history(first: Int = 20): [AuditEntry!]!");
  }

  @Test
  @Order(5)
  void provesInclusionAndConsistencyToTheOfflineVerifierWithThePublishedKey() throws Exception {
    String pem = query("{ auditPublicKey }").get("data").get("auditPublicKey").asText();
    Path keyFile = stateDir.resolve("keys").resolve(SigningKeys.PUBLIC_KEY_FILE);
    assertThat(Files.readString(keyFile)).isEqualTo(pem);
    OfflineVerifier verifier = new OfflineVerifier(SigningKeys.readPublicKey(keyFile));
    List<Long> sizes = await(() -> headSizes("sales"), signed -> signed.contains(4L));

    JsonNode proof =
        query(
                "{ auditProof(product: \"sales\", seq: 1) { leafIndex treeSize auditPath proofJson"
                    + " entry { seq lsn } treeHead { treeSize rootHash keyId } } }")
            .get("data")
            .get("auditProof");
    assertThat(proof.get("leafIndex").asInt()).isEqualTo(1);
    assertThat(proof.get("entry").get("lsn").asText()).isEqualTo("200");
    assertThat(proof.get("treeSize").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(proof.get("auditPath")).isNotEmpty();
    assertThat(verifier.verify(ProofJson.parse(proof.get("proofJson").asText())))
        .isInstanceOf(ProofVerdict.Valid.class);

    long oldest = sizes.getFirst();
    JsonNode consistency =
        query(
                "{ auditConsistency(product: \"sales\", oldSize: "
                    + oldest
                    + ", newSize: 4) { path proofJson firstHead { treeSize } secondHead { treeSize"
                    + " } } }")
            .get("data")
            .get("auditConsistency");
    assertThat(consistency.get("firstHead").get("treeSize").asLong()).isEqualTo(oldest);
    assertThat(consistency.get("secondHead").get("treeSize").asInt()).isEqualTo(4);
    assertThat(verifier.verify(ProofJson.parse(consistency.get("proofJson").asText())))
        .isInstanceOf(ProofVerdict.Valid.class);
    // Without newSize: up to the latest head.
    JsonNode toLatest =
        query(
                "{ auditConsistency(product: \"sales\", oldSize: "
                    + oldest
                    + ") { newSize proofJson } }")
            .get("data")
            .get("auditConsistency");
    assertThat(toLatest.get("newSize").asInt()).isEqualTo(4);
    assertThat(verifier.verify(ProofJson.parse(toLatest.get("proofJson").asText())))
        .isInstanceOf(ProofVerdict.Valid.class);

    // A proof whose entry was altered after it was issued no longer verifies.
    JsonNode forged = JSON.readTree(proof.get("proofJson").asText());
    ObjectNode forgedEntry = (ObjectNode) forged.get("entry");
    forgedEntry.put("lsn", "201");
    assertThat(verifier.verify(ProofJson.fromJson(forged)))
        .isInstanceOf(ProofVerdict.Invalid.class);
  }

  @Test
  @Order(6)
  void proofQueriesLeaveTheStoredHeadsAsTheyWere() throws Exception {
    List<Long> sizes = await(() -> headSizes("sales"), signed -> signed.contains(4L));
    long before = storedHeads();

    for (int i = 0; i < 20; i++) {
      long oldSize = sizes.get(i % sizes.size());
      JsonNode response =
          query(
              "{ auditConsistency(product: \"sales\", oldSize: "
                  + oldSize
                  + ", newSize: 4) { path } }");
      assertThat(response.path("errors").isMissingNode()).as("%s", response).isTrue();
      assertThat(
              query("{ auditProof(product: \"sales\", seq: " + (i % 4) + ") { treeSize } }")
                  .path("errors")
                  .isMissingNode())
          .isTrue();
    }
    JsonNode missing =
        query("{ auditConsistency(product: \"sales\", oldSize: 0, newSize: 4) { path } }");

    assertThat(storedHeads()).isEqualTo(before);
    assertThat(headSizes("sales")).isEqualTo(sizes);
    JsonNode error = missing.get("errors").get(0);
    assertThat(error.get("extensions").get("code").asText()).isEqualTo("BAD_USER_INPUT");
    assertThat(error.get("extensions").get("field").asText()).isEqualTo("oldSize");
    assertThat(error.get("message").asText())
        .contains("no signed head", "size 0", "the nearest: " + sizes.getFirst());
  }

  private List<Long> headSizes(String product) throws Exception {
    JsonNode heads =
        query("{ auditHeadHistory(product: \"" + product + "\") { treeSize } }")
            .get("data")
            .get("auditHeadHistory");
    List<Long> sizes = new ArrayList<>();
    heads.forEach(head -> sizes.add(head.get("treeSize").asLong()));
    return sizes;
  }

  private long storedHeads() throws Exception {
    try (Connection connection = postgres.getDatabase("postgres", "audit").getConnection();
        Statement statement = connection.createStatement();
        var rows = statement.executeQuery("SELECT count(*) FROM audit.tree_heads")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  @Test
  @Order(7)
  void publishesSignedHeadsThatMatchTheirSchemaOnTheCompactedTopic() throws Exception {
    PublicKey publicKey =
        SigningKeys.readPublicKey(stateDir.resolve("keys").resolve(SigningKeys.PUBLIC_KEY_FILE));
    JsonSchema schema = headSchema();
    Map<String, JsonNode> latest = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = headConsumer()) {
      consumer.subscribe(List.of(AuditHeadJson.TOPIC));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (System.nanoTime() < deadline
          && !(latest.containsKey("sales")
              && latest.get("sales").get("treeSize").asInt() == 4
              && latest.containsKey("finance"))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          JsonNode head = JSON.readTree(record.value());
          Set<ValidationMessage> problems = schema.validate(head);
          assertThat(problems).as("head %s", head).isEmpty();
          assertThat(record.key()).isEqualTo(head.get("product").asText());
          SignedTreeHead signed =
              new SignedTreeHead(
                  head.get("product").asText(),
                  head.get("treeSize").asLong(),
                  Hash.ofHex(head.get("rootHash").asText()),
                  Instant.parse(head.get("timestamp").asText()),
                  Base64.getDecoder().decode(head.get("signature").asText()));
          assertThat(TreeHeadSigner.verify(signed, publicKey)).as("signature of %s", head).isTrue();
          assertThat(head.get("keyId").asText()).isEqualTo(SigningKeys.keyId(publicKey));
          latest.put(record.key(), head);
        }
      }
    }
    assertThat(latest.get("sales").get("treeSize").asInt()).isEqualTo(4);
    assertThat(latest).containsKey("finance");
    try (Admin admin = kafka.admin()) {
      Config config =
          admin
              .describeConfigs(
                  List.of(new ConfigResource(ConfigResource.Type.TOPIC, AuditHeadJson.TOPIC)))
              .all()
              .get(10, TimeUnit.SECONDS)
              .values()
              .iterator()
              .next();
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
    JsonNode heads =
        query("{ auditHeads { product treeSize rootHash } }").get("data").get("auditHeads");
    assertThat(heads.findValuesAsText("product")).contains("sales", "finance");
  }

  @Test
  @Order(8)
  void logsAProductWhoseTopicAppearsLaterAndTracesLineageToIt() throws Exception {
    createTopics("mesh.distribution.order.changes");
    ObjectNode order =
        JsonNodeFactory.instance
            .objectNode()
            .put("id", ORDER)
            .put("status", "PLACED")
            .put("total", "19.99");
    publish(change("distribution", "order", ORDER, "c", null, order, 700));
    producer.flush();
    assertThat(awaitLog("distribution", 1).get(0).get("entity").asText()).isEqualTo("order");

    JsonNode lineage =
        query(
                "{ auditLineage(product: \"finance\", entity: \"ledger_transaction\", key: \""
                    + TRANSACTION
                    + "\") { changes { entity } causes { product entity key } } }")
            .get("data")
            .get("auditLineage");
    assertThat(lineage.get("changes").findValuesAsText("entity"))
        .containsExactly("ledger_transaction");
    assertThat(lineage.get("causes").findValuesAsText("product")).containsExactly("distribution");
    assertThat(lineage.get("causes").get(0).get("key").asText()).contains(ORDER);
  }

  @Test
  @Order(9)
  void answersBadArgumentsWithErrorsNamingThem() throws Exception {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{ auditLog(product: \"nope\") { edges { cursor } } }", "product");
    cases.put("{ auditLog(product: \"sales\", after: \"bogus\") { edges { cursor } } }", "after");
    cases.put("{ auditLog(product: \"sales\", first: 9999) { edges { cursor } } }", "first");
    cases.put("{ auditLog(product: \"sales\", key: \"x\") { edges { cursor } } }", "key");
    cases.put(
        "{ auditLog(product: \"sales\", entity: \"warehouse\") { edges { cursor } } }", "entity");
    cases.put("{ auditProof(product: \"sales\", seq: 99) { leafIndex } }", "seq");
    cases.put("{ auditProof(product: \"sales\", seq: -1) { leafIndex } }", "seq");
    cases.put(
        "{ auditConsistency(product: \"sales\", oldSize: 3, newSize: 1) { path } }", "oldSize");
    cases.put(
        "{ auditConsistency(product: \"sales\", oldSize: 1, newSize: 99) { path } }", "newSize");
    cases.put("{ auditVerify(product: \"sales\", fromSeq: 0, toSeq: 99) { valid } }", "toSeq");
    cases.put("{ auditVerify(product: \"nope\") { valid } }", "product");
    cases.put(
        "{ auditConsistency(product: \"sales\", oldSize: 0, newSize: 3000) { path } }", "newSize");
    cases.put("{ auditHeadHistory(product: \"sales\", afterSize: -1) { treeSize } }", "afterSize");
    cases.put("{ auditVerificationJob(id: \"no-such-job\") { state } }", "id");
    cases.put("{ auditVerificationJobs(product: \"nope\") { state } }", "product");
    cases.put("mutation { startAuditVerification(product: \"nope\") { id } }", "product");
    for (Map.Entry<String, String> testCase : cases.entrySet()) {
      JsonNode response = query(testCase.getKey());
      assertThat(response.path("errors")).as(testCase.getKey()).hasSize(1);
      assertThat(response.get("errors").get(0).get("extensions").get("code").asText())
          .as(testCase.getKey())
          .isIn("BAD_USER_INPUT", "NOT_FOUND");
      assertThat(response.get("errors").get(0).get("extensions").get("field").asText())
          .as(testCase.getKey())
          .isEqualTo(testCase.getValue());
      assertThat(response.get("errors").get(0).get("message").asText())
          .as(testCase.getKey())
          .startsWith(testCase.getValue() + ": ");
    }
  }

  @Test
  @Order(8)
  void boundsRequestsAsEverySubgraphDoes() throws Exception {
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(graphql)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"query\":\"{ auditHeads { product } }\",\"variables\":{\"padding\":\""
                            + "x".repeat(600 * 1024)
                            + "\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(refused.body()).at("/errors/0/extensions/code").asText())
        .isEqualTo("PAYLOAD_TOO_LARGE");

    // a million history entries for one record: refused on its estimate, before the log is read
    JsonNode costly =
        query(
            """
            { _entities(representations: [{__typename: "Customer", id: "%s"}]) {
                ... on Customer { history(first: 1000000) { seq } } } }\
            """
                .formatted(ADA));
    assertThat(costly.at("/errors/0/extensions/code").asText()).isEqualTo("COST_LIMIT_EXCEEDED");
    assertThat(costly.at("/errors/0/message").asText()).contains("1000001").contains("200000");
  }

  @Test
  @Order(10)
  void verifiesALogAboveTheRequestLimitAsAJobAndNamesTheSeqASuperuserRewrote() throws Exception {
    JsonNode refused = query("{ auditVerify(product: \"sales\") { valid } }").get("errors").get(0);
    assertThat(refused.get("extensions").get("code").asText()).isEqualTo("VERIFICATION_TOO_LARGE");
    assertThat(refused.get("extensions").get("field").asText()).isEqualTo("product");
    assertThat(refused.get("message").asText()).contains("startAuditVerification");

    JsonNode valid = runJob("sales");
    assertThat(valid.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(valid.get("valid").asBoolean()).isTrue();
    assertThat(valid.get("entriesChecked").asInt()).isEqualTo(4);
    assertThat(valid.get("totalEntries").asInt()).isEqualTo(4);
    assertThat(valid.get("headsChecked").asInt()).isPositive();
    assertThat(valid.get("firstBadSeq").isNull()).isTrue();
    assertThat(valid.get("finishedAt").asText()).isNotBlank();

    try (Connection connection = postgres.getDatabase("postgres", "audit").getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE audit.log_entries DISABLE TRIGGER USER");
      statement.execute(
          "UPDATE audit.log_entries SET entry = convert_to(replace(convert_from(entry, 'UTF8'),"
              + " 'Grace', 'Mallory'), 'UTF8') WHERE product = 'sales' AND seq = 1");
      statement.execute("ALTER TABLE audit.log_entries ENABLE TRIGGER USER");
    }

    JsonNode invalid = runJob("sales");
    assertThat(invalid.get("state").asText()).isEqualTo("FAILED");
    assertThat(invalid.get("valid").asBoolean()).isFalse();
    assertThat(invalid.get("firstBadSeq").asInt()).isEqualTo(1);
    assertThat(invalid.get("defect").asText()).isEqualTo("HASH_MISMATCH");
    assertThat(invalid.get("entriesChecked").asInt()).isEqualTo(1);
    assertThat(invalid.get("error").isNull()).isTrue();
    JsonNode listed =
        query("{ auditVerificationJobs(product: \"sales\") { id state } }")
            .get("data")
            .get("auditVerificationJobs");
    assertThat(listed.findValuesAsText("state")).containsExactly("FAILED", "SUCCEEDED");

    // Within the limit, a request still verifies on its own: 3 rows from seq 0.
    JsonNode ranged =
        query(
                "{ auditVerify(product: \"sales\", fromSeq: 0, toSeq: 2) { valid firstBadSeq defect"
                    + " } }")
            .get("data")
            .get("auditVerify");
    assertThat(ranged.get("valid").asBoolean()).isFalse();
    assertThat(ranged.get("firstBadSeq").asInt()).isEqualTo(1);
    // Seqs 2 and 3 alone are 2 rows, but the head of 4 they end at covers the 2 before: 4 rows.
    JsonNode tooLarge =
        query("{ auditVerify(product: \"sales\", fromSeq: 2, toSeq: 3) { valid } }")
            .get("errors")
            .get(0);
    assertThat(tooLarge.get("extensions").get("code").asText()).isEqualTo("VERIFICATION_TOO_LARGE");
    assertThat(tooLarge.get("extensions").get("field").asText()).isEqualTo("toSeq");
    JsonNode finance =
        query("{ auditVerify(product: \"finance\") { valid } }").get("data").get("auditVerify");
    assertThat(finance.get("valid").asBoolean()).isTrue();
  }

  /** Starts a verification job and polls it until it finished. */
  private JsonNode runJob(String product) throws Exception {
    String fields =
        "{ id product state totalEntries entriesChecked headsChecked startedAt finishedAt valid"
            + " firstBadSeq defect detail error }";
    JsonNode started =
        query("mutation { startAuditVerification(product: \"" + product + "\") " + fields + " }")
            .get("data")
            .get("startAuditVerification");
    assertThat(started.get("product").asText()).isEqualTo(product);
    assertThat(started.get("state").asText()).isIn("QUEUED", "RUNNING", "SUCCEEDED", "FAILED");
    String id = started.get("id").asText();
    return await(
        () ->
            query("{ auditVerificationJob(id: \"" + id + "\") " + fields + " }")
                .get("data")
                .get("auditVerificationJob"),
        job ->
            job.get("state").asText().equals("SUCCEEDED")
                || job.get("state").asText().equals("FAILED"));
  }

  @Test
  @Order(11)
  void servesGraphiqlWithItsOwnAssets() throws Exception {
    HttpResponse<String> page = get("/graphiql");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Meshgate audit subgraph").contains("auditHeads");
    assertThat(get("/webjars/graphiql/graphiql.min.js").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(12)
  void resumesAfterARestartWithTheSameKeyAndWithoutRelogging() throws Exception {
    String keyBefore = query("{ auditPublicKey }").get("data").get("auditPublicKey").asText();
    int financeBefore = nodes("finance").size();
    service.close();

    publish(
        change(
            "finance",
            "invoice",
            INVOICE,
            "u",
            invoice("OPEN"),
            invoice("PAID"),
            900)); // while the service is down
    producer.flush();
    startService();

    JsonNode finance = awaitLog("finance", financeBefore + 1);
    assertThat(finance).hasSize(financeBefore + 1);
    assertThat(finance.get(financeBefore).get("lsn").asText()).isEqualTo("900");
    assertThat(query("{ auditPublicKey }").get("data").get("auditPublicKey").asText())
        .isEqualTo(keyBefore);
  }

  @Test
  @Order(12)
  void reportsChangesDeletedFromATopicBeforeTheyWereLoggedAsAGap() throws Exception {
    String topic = "mesh.distribution.order.changes";
    TopicPartition partition = new TopicPartition(topic, 0);
    int before = nodes("distribution").size();
    service.close();

    // While the audit log is down, three changes arrive and retention (here a deletion) takes the
    // first two before the log reads them.
    long start;
    try (Admin admin = kafka.admin()) {
      start =
          admin
              .listOffsets(Map.of(partition, OffsetSpec.latest()))
              .partitionResult(partition)
              .get()
              .offset();
    }
    ObjectNode order =
        JsonNodeFactory.instance
            .objectNode()
            .put("id", ORDER)
            .put("status", "PLACED")
            .put("total", "19.99");
    for (int i = 1; i <= 3; i++) {
      publish(
          change(
              "distribution",
              "order",
              ORDER,
              "u",
              order,
              order.deepCopy().put("total", i + ".00"),
              1000 + i));
    }
    producer.flush();
    try (Admin admin = kafka.admin()) {
      admin
          .deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(start + 2)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    startService();

    JsonNode distribution = awaitLog("distribution", before + 1);
    assertThat(distribution.get(before).get("lsn").asText()).isEqualTo("1003");
    JsonNode gaps =
        await(
            () ->
                query(
                        "{ auditGaps(product: \"distribution\") { product topic partition"
                            + " fromOffset toOffset missing detectedAt } }")
                    .get("data")
                    .get("auditGaps"),
            found -> found.size() >= 1);
    assertThat(gaps).hasSize(1);
    JsonNode gap = gaps.get(0);
    assertThat(gap.get("topic").asText()).isEqualTo(topic);
    assertThat(gap.get("partition").asInt()).isZero();
    assertThat(gap.get("fromOffset").asText()).isEqualTo(Long.toString(start));
    assertThat(gap.get("toOffset").asText()).isEqualTo(Long.toString(start + 1));
    assertThat(gap.get("missing").asText()).isEqualTo("2");
    assertThat(Instant.parse(gap.get("detectedAt").asText()))
        .isAfter(Instant.now().minusSeconds(60));

    assertThat(query("{ auditGaps(product: \"sales\") { topic } }").get("data").get("auditGaps"))
        .isEmpty();
    JsonNode unknown = query("{ auditGaps(product: \"nosuch\") { topic } }").get("errors").get(0);
    assertThat(unknown.get("extensions").get("code").asText()).isEqualTo("NOT_FOUND");
    assertThat(unknown.get("extensions").get("field").asText()).isEqualTo("product");
    assertThat(unknown.get("message").asText()).contains("product").contains("nosuch");
    // A NUL the database cannot compare is the caller's mistake, not an internal error.
    JsonNode nul = query("{ auditGaps(product: \"a\\u0000b\") { topic } }").get("errors").get(0);
    assertThat(nul.get("extensions").get("code").asText()).isEqualTo("BAD_USER_INPUT");
  }

  private List<JsonNode> deadLetters(String topic, int atLeast) throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "dead-letters-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<JsonNode> letters = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      reader.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (letters.size() < atLeast && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(200))) {
          letters.add(JSON.readTree(record.value()));
        }
      }
    }
    assertThat(letters).as("dead letters on %s", topic).hasSizeGreaterThanOrEqualTo(atLeast);
    return letters;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(graphql.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  // --- Helpers ---------------------------------------------------------------------------------

  private void createTopics(String... topics) throws Exception {
    try (Admin admin = kafka.admin()) {
      List<NewTopic> newTopics = new ArrayList<>();
      for (String topic : topics) {
        // One partition: once the last event is logged, everything published before it was read.
        newTopics.add(new NewTopic(topic, 1, (short) 1));
      }
      admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
    }
  }

  private void publish(ObjectNode event) throws IOException {
    String topic =
        "mesh." + event.get("product").asText() + "." + event.get("entity").asText() + ".changes";
    producer.send(
        new ProducerRecord<>(
            topic, JSON.writeValueAsString(event.get("key")), JSON.writeValueAsBytes(event)));
  }

  private static ObjectNode change(
      String product,
      String entity,
      String id,
      String op,
      ObjectNode before,
      ObjectNode after,
      long lsn) {
    ObjectNode event = JsonNodeFactory.instance.objectNode();
    event.put("format", "meshgate.change-event").put("formatVersion", 1).put("schemaVersion", 1);
    event.put("product", product).put("entity", entity).put("op", op);
    event.putObject("key").put("id", id);
    event.set("before", before);
    event.set("after", after);
    event
        .putObject("source")
        .put("lsn", lsn)
        .put("txId", 1000 + lsn)
        .put("commitTime", Instant.parse("2026-11-27T01:00:00Z").plusSeconds(lsn).toString())
        .put("snapshot", false);
    return event;
  }

  private static ObjectNode customer(String id, String name) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("id", id)
        .put("name", name)
        .put("country", "GB");
  }

  private static ObjectNode invoice(String status) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("id", INVOICE)
        .put("order_id", ORDER)
        .put("amount", "19.99")
        .put("status", status);
  }

  private static ObjectNode transaction() {
    return JsonNodeFactory.instance
        .objectNode()
        .put("id", TRANSACTION)
        .put("kind", "DEBIT")
        .put("amount", "19.99")
        .put("reference", "order " + ORDER);
  }

  /** The product's log, oldest first, once it has at least {@code size} entries. */
  private JsonNode awaitLog(String product, int size) throws Exception {
    return await(() -> nodes(product), nodes -> nodes.size() >= size);
  }

  private JsonNode nodes(String product) throws Exception {
    JsonNode edges =
        query(
                "{ auditLog(product: \""
                    + product
                    + "\", first: 100) { edges { node { seq op lsn entity key after hash"
                    + " previousHash } } } }")
            .get("data")
            .get("auditLog")
            .get("edges");
    var nodes = JsonNodeFactory.instance.arrayNode();
    edges.forEach(edge -> nodes.add(edge.get("node")));
    return nodes;
  }

  private interface Check<T> {
    T get() throws Exception;
  }

  private static <T> T await(Check<T> check, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T value = check.get();
    while (!done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within " + WAIT + ": " + value);
      }
      Thread.sleep(100);
      value = check.get();
    }
    return value;
  }

  private JsonNode query(String query) throws Exception {
    String body = JSON.writeValueAsString(Map.of("query", query));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(graphql)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("HTTP status of %s: %s", query, response.body())
        .isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private KafkaConsumer<String, byte[]> headConsumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "audit-heads-test");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static JsonSchema headSchema() throws IOException {
    try (InputStream in =
        AuditServiceIT.class.getResourceAsStream("/meshgate/audit/audit-head.v1.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    }
  }
}
