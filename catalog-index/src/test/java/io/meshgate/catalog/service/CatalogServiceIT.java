package io.meshgate.catalog.service;

import static io.meshgate.catalog.testing.Entries.dataset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.catalog.Catalog;
import io.meshgate.catalog.model.CatalogCodec;
import io.meshgate.catalog.model.CatalogEntry;
import io.meshgate.catalog.model.DatasetKind;
import io.meshgate.catalog.model.LineageEdge.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.jspecify.annotations.Nullable;
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
 * The catalog service end to end: a real KRaft broker in this JVM, entries published to {@code
 * mesh.catalog} as products publish them, and the service answering GraphQL over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogServiceIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> EXAMPLES =
      List.of(
          "sales-table-customers.json",
          "sales-topic-customer-changes.json",
          "sales-graphql-customer.json",
          "distribution-table-customer-replica.json");
  private static final String BROKEN_KEY = "sales/table/sales.broken";
  private static final String METRICS_TOPIC = "mesh.sales.metrics";
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The audit store's key, as the catalog is told to trust it. */
  private static final AuditSigner AUDIT = new AuditSigner();

  @TempDir static Path stateDir;

  private final CatalogCodec codec = new CatalogCodec();
  private final HttpClient http = HttpClient.newHttpClient();

  /** What the test published, in order, per key: the state the compacted topic converges to. */
  private final Map<String, byte @Nullable []> published = new LinkedHashMap<>();

  private KafkaClusterTestKit kafka;
  private KafkaProducer<String, byte[]> producer;
  private ConfigurableApplicationContext service;
  private int port;
  private long recordsSent;

  @BeforeAll
  void startBrokerServiceAndPublishTheMesh() throws Exception {
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
            .setConfigProp("log.cleaner.dedupe.buffer.size", Long.toString(16L * 1024 * 1024))
            .build();
    kafka.format();
    kafka.startup();
    kafka.waitForReadyBrokers();
    producer =
        new KafkaProducer<>(
            producerProperties(), new StringSerializer(), new ByteArraySerializer());
    startService();

    // an invalid record first: the entries after it must still arrive
    send(
        BROKEN_KEY,
        "{\"format\":\"meshgate.catalog-entry\",\"formatVersion\":1,\"product\":\"sales\"}"
            .getBytes(StandardCharsets.UTF_8));
    for (String example : EXAMPLES) {
      byte[] value = example(example);
      send(codec.decode(new String(value, StandardCharsets.UTF_8)).id(), value);
    }
    for (CatalogEntry entry : generated()) {
      send(entry.id(), codec.encode(entry));
    }
    producer
        .send(
            new ProducerRecord<>(
                AuditHeads.TOPIC,
                "sales",
                AUDIT.head(
                    "sales", 42, AuditSigner.root(42), Instant.parse("2026-11-27T01:00:00Z"))))
        .get();

    // a product's metrics topic appears after the service started, as when a product starts later
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(METRICS_TOPIC, 1, (short) 1))).all().get();
    }
    producer
        .send(
            new ProducerRecord<>(
                METRICS_TOPIC, "not a metric", "{}".getBytes(StandardCharsets.UTF_8)))
        .get();
    producer
        .send(
            new ProducerRecord<>(
                METRICS_TOPIC,
                "sales|orders|BER",
                ProductMetricsTest.metric("sales", "orders", "BER", "01:00", false, 7)))
        .get();
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
  }

  @Test
  @Order(1)
  void searchFindsTheSalesCustomerDatasetsFirstAndToleratesTypos() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode hits =
                  data("{ catalogSearch(query: \"customer\", first: 5) { total hits { id product"
                          + " kind } } }")
                      .at("/catalogSearch/hits");
              assertThat(hits.get(0).get("id").asText()).isEqualTo("sales/graphql/Customer");
              assertThat(ids(hits)).contains("sales/table/sales.customers");
            });

    JsonNode typo =
        data("{ catalogSearch(query: \"custmer\") { hits { id } didYouMean } }")
            .at("/catalogSearch");
    assertThat(ids(typo.get("hits"))).contains("sales/graphql/Customer");

    JsonNode suggestions =
        data("{ catalogSuggest(prefix: \"cust\", limit: 3) }").get("catalogSuggest");
    List<String> names = new ArrayList<>();
    suggestions.forEach(name -> names.add(name.asText()));
    assertThat(names)
        .hasSize(3)
        .allSatisfy(name -> assertThat(name.toLowerCase()).contains("cust"));

    JsonNode defaults =
        data("{ catalogSearch(query: \"customer\", first: null) { hits { id } } }")
            .at("/catalogSearch/hits");
    assertThat(defaults).hasSize(20);
  }

  @Test
  @Order(2)
  void facetsCountEveryHitAndFiltersRestrictThem() {
    awaitIndexed("finance/table/invoices");
    JsonNode result =
        data("""
        { catalogSearch(query: "customer", facets: ["product"], first: 100) {
            total hits { product } facets { name values { value count } } pageInfo { endCursor hasNextPage } } }
        """)
            .at("/catalogSearch");
    Map<String, Integer> byProduct = new TreeMap<>();
    result
        .at("/facets/0/values")
        .forEach(v -> byProduct.put(v.get("value").asText(), v.get("count").asInt()));
    assertThat(result.at("/facets/0/name").asText()).isEqualTo("product");
    assertThat(byProduct).containsOnlyKeys("sales", "distribution", "analytics", "finance");
    assertThat(byProduct.values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(result.get("total").asInt());

    JsonNode filtered =
        data("""
        { catalogSearch(query: "customer", filters: [{dimension: "product", values: ["distribution"]}], first: 100) {
            total hits { product } } }
        """)
            .at("/catalogSearch");
    assertThat(filtered.get("total").asInt()).isEqualTo(byProduct.get("distribution"));
    filtered
        .get("hits")
        .forEach(hit -> assertThat(hit.get("product").asText()).isEqualTo("distribution"));

    JsonNode page =
        data("{ catalogSearch(query: \"customer\", first: 3) { hits { id } pageInfo { endCursor"
                + " hasNextPage } } }")
            .at("/catalogSearch");
    assertThat(page.at("/pageInfo/hasNextPage").asBoolean()).isTrue();
    JsonNode next =
        data("{ catalogSearch(query: \"customer\", first: 3, after: \""
                + page.at("/pageInfo/endCursor").asText()
                + "\") { hits { id } } }")
            .at("/catalogSearch/hits");
    assertThat(ids(next)).hasSize(3).doesNotContainAnyElementsOf(ids(page.get("hits")));
  }

  @Test
  @Order(3)
  void datasetAndProductCarryWhatTheProductPublished() {
    awaitIndexed("sales/table/sales.customers");
    JsonNode dataset =
        data("""
        { dataset(id: "sales/table/sales.customers") {
            id name kind product domain owner tags classifications schemaVersion
            fields { name type classifications }
            schemaHistory { version changes { change field detail } }
            slos { name target unit } metrics { rowCount changesPerMinute observedAt } } }
        """)
            .get("dataset");
    assertThat(dataset.get("kind").asText()).isEqualTo("TABLE");
    assertThat(dataset.get("owner").asText()).isEqualTo("team-sales");
    assertThat(dataset.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(dataset.at("/fields/2/name").asText()).isEqualTo("email");
    assertThat(dataset.at("/fields/2/classifications/0").asText()).isEqualTo("PII");
    assertThat(dataset.at("/schemaHistory/1/changes/1/change").asText()).isEqualTo("TYPE_CHANGED");
    assertThat(dataset.at("/slos/0/target").asDouble()).isEqualTo(99.9);
    assertThat(dataset.at("/metrics/rowCount").asLong()).isEqualTo(1000);
    assertThat(dataset.at("/metrics/observedAt").asText()).isEqualTo("2026-11-27T01:00:00Z");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode product =
                  data("""
                  { dataProduct(name: "sales") { name domains owners datasets { id }
                      auditHead { treeSize rootHash signedAt signature keyId } } }
                  """)
                      .get("dataProduct");
              assertThat(ids(product.get("datasets")))
                  .contains("sales/table/sales.customers", "sales/graphql/Customer");
              assertThat(product.at("/domains/0").asText()).isEqualTo("Sales");
              assertThat(product.at("/auditHead/treeSize").asLong()).isEqualTo(42);
              assertThat(product.at("/auditHead/rootHash").asText())
                  .isEqualTo(AuditSigner.root(42));
              assertThat(product.at("/auditHead/signedAt").asText())
                  .isEqualTo("2026-11-27T01:00:00Z");
              assertThat(product.at("/auditHead/keyId").asText()).isEqualTo(AUDIT.keyId());
            });
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode metrics =
                  data("""
                  { dataProduct(name: "sales") { metrics { metric dimensions { name value } windowStart late count sum max } } }
                  """)
                      .at("/dataProduct/metrics");
              assertThat(metrics).hasSize(1);
              assertThat(metrics.at("/0/metric").asText()).isEqualTo("orders");
              assertThat(metrics.at("/0/dimensions/0/value").asText()).isEqualTo("BER");
              assertThat(metrics.at("/0/windowStart").asText()).isEqualTo("2026-11-27T01:00:00Z");
              assertThat(metrics.at("/0/count").asLong()).isEqualTo(7);
              assertThat(metrics.at("/0/sum").asText()).isEqualTo("1000.50");
            });
    assertThat(data("{ dataProduct(name: \"nobody\") { name } }").get("dataProduct").isNull())
        .isTrue();
    assertThat(data("{ dataset(id: \"sales/table/nothing\") { id } }").get("dataset").isNull())
        .isTrue();
  }

  @Test
  @Order(4)
  void invalidRecordLandsOnTheDeadLetterTopicWithItsProblems() throws Exception {
    List<ConsumerRecord<String, byte[]>> letters = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(CatalogConsumer.DEAD_LETTER_TOPIC).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(WAIT)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                return !letters.isEmpty();
              });
    }
    assertThat(letters).hasSize(1);
    assertThat(letters.getFirst().key()).isEqualTo(BROKEN_KEY);
    JsonNode letter = JSON.readTree(letters.getFirst().value());
    assertThat(letter.get("format").asText()).isEqualTo("meshgate.dead-letter");
    assertThat(letter.get("origin").asText()).startsWith("mesh.catalog/");
    assertThat(letter.get("payload").asText()).contains("\"product\":\"sales\"");
    assertThat(letter.get("reasons")).isNotEmpty();
    assertThat(data("{ dataset(id: \"" + BROKEN_KEY + "\") { id } }").get("dataset").isNull())
        .isTrue();
  }

  @Test
  @Order(5)
  void lineageAndImpactFollowFieldsAcrossProducts() {
    awaitIndexed("finance/table/invoices");
    JsonNode lineage =
        data("""
        { lineage(node: "sales/table/sales.customers#country", direction: DOWNSTREAM, depth: 5) {
            start partial edgesExamined nodes { id dataset direction degree path { from to kind declaredBy } } } }
        """)
            .get("lineage");
    Map<String, JsonNode> nodes = new HashMap<>();
    lineage.get("nodes").forEach(n -> nodes.put(n.get("id").asText(), n));
    assertThat(nodes)
        .containsKeys(
            "sales/topic/mesh.sales.customer.changes#after.country",
            "distribution/table/distribution_read.customers#country",
            "finance/table/invoices#billing_country");
    JsonNode replica = nodes.get("distribution/table/distribution_read.customers#country");
    assertThat(replica.get("degree").asInt()).isEqualTo(2);
    assertThat(replica.get("direction").asText()).isEqualTo("DOWNSTREAM");
    assertThat(replica.at("/path/1/kind").asText()).isEqualTo("PROJECTION");
    assertThat(replica.at("/path/1/declaredBy").asText())
        .isEqualTo("distribution/table/distribution_read.customers");
    assertThat(lineage.get("partial").asBoolean()).isFalse();

    JsonNode upstream =
        data("""
        { lineage(node: "finance/table/invoices#billing_country", direction: UPSTREAM, depth: 1) { nodes { id } } }
        """)
            .at("/lineage/nodes");
    assertThat(ids(upstream))
        .containsExactly("distribution/table/distribution_read.customers#country");

    JsonNode cut =
        data("{ lineage(node: \"sales/table/sales.customers\", depth: 5, limit: 1) { partial nodes"
                + " { id } } }")
            .get("lineage");
    assertThat(cut.get("partial").asBoolean()).isTrue();
    assertThat(cut.get("nodes")).hasSize(1);

    JsonNode impact =
        data("{ impact(node: \"sales/table/sales.customers#country\") { datasets { dataset product"
                + " degree } } }")
            .at("/impact/datasets");
    List<String> products = new ArrayList<>();
    impact.forEach(d -> products.add(d.get("product").asText()));
    assertThat(products).contains("sales", "distribution", "finance");
  }

  @Test
  @Order(6)
  void argumentsTheCatalogCannotUseAreGraphqlErrorsNamingThem() throws Exception {
    assertError("{ catalogSearch(query: \"(customer\") { total } }", "query", "column");
    assertError(
        "{ catalogSearch(query: \"customer\", filters: [{dimension: \"colour\", values:"
            + " [\"red\"]}]) { total } }",
        "filters",
        "unknown filter dimension 'colour'");
    assertError(
        "{ catalogSearch(query: \"customer\", after: \"not-a-cursor!\") { total } }",
        "after",
        "cursor");
    assertError(
        "{ catalogSearch(query: \"customer\", first: 0) { total } }", "first", "between 1 and 100");
    assertError(
        "{ lineage(node: \"sales/table/sales.customers#country\", depth: 0) { partial } }",
        "depth",
        "at least 1");
    assertError("{ lineage(node: \"no such node\") { partial } }", "node", "not a catalog node id");
    assertError(
        "{ impact(node: \"sales/tabel/x#y\") { partial } }",
        "node",
        "unknown dataset kind segment");
    assertError(
        "{ dataset(id: \"sales/table/sales.customers#email\") { id } }", "id", "is a field id");
  }

  @Test
  @Order(6)
  void hostileQueriesAreRefusedAsBadUserInputBeforeAnyWork() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          assertError(
              "{ catalogSearch(query: \"/a{1,1000000}/\") { total } }",
              "query",
              "repeats up to 1000000 times, at most 50");
          assertError(
              "{ catalogSearch(query: \"/(a|b)*a(a|b){24}/\") { total } }", "query", "too complex");
          assertError(
              "{ catalogSearch(query: \"colour:red\") { total } }",
              "query",
              "unknown field 'colour'");
          assertError(
              "{ catalogSearch(query: \"*omer\") { total } }", "query", "leading wildcards");
          assertError(
              "{ catalogSearch(query: \"customer~3\") { total } }", "query", "must be 1 or 2");
          assertError(
              "{ lineage(node: \"sales/table/sales.customers#country\", depth: 1000) { partial } }",
              "depth",
              "must be at most 10, was 1000");
          assertError(
              "{ lineage(node: \"sales/table/sales.customers#country\", limit: 10001) { partial }"
                  + " }",
              "limit",
              "must be at most 10000");
          String values =
              IntStream.rangeClosed(0, 100)
                  .mapToObj(i -> "\"tag-" + i + "\"")
                  .collect(Collectors.joining(", "));
          assertError(
              "{ catalogSearch(query: \"customer\", filters: [{dimension: \"tag\", values: ["
                  + values
                  + "]}]) "
                  + "{ total } }",
              "filters",
              "filter on 'tag' lists 101 values, at most 100");
        });

    JsonNode bounded =
        data("{ catalogSearch(query: \"name:cust* OR /ord[ae]rs?/ OR custmer~1\") { total partial }"
                + " }")
            .get("catalogSearch");
    assertThat(bounded.get("total").asInt()).isPositive();
    assertThat(bounded.get("partial").asBoolean()).isFalse();
  }

  @Test
  @Order(6)
  void servesItsSdlAsAFederationSubgraphAndGraphiqlFromTheJar() throws Exception {
    String sdl = data("{ _service { sdl } }").at("/_service/sdl").asText();
    assertThat(sdl)
        .contains(
            "catalogSearch(",
            "type CatalogSearchResult",
            "partial: Boolean!",
            "type PageInfo @shareable",
            "specs.apollo.dev/federation/v2.5");

    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphiql")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("Meshgate enterprise catalog")
        .doesNotContain("unpkg.com", "cdn.jsdelivr");
  }

  @Test
  @Order(7)
  void tombstoneRemovesTheDataset() {
    awaitIndexed("analytics/view/customer_report_0");
    send("analytics/view/customer_report_0", null);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        data("{ dataset(id: \"analytics/view/customer_report_0\") { id } }")
                            .get("dataset")
                            .isNull())
                    .isTrue());
    JsonNode hits =
        data("{ catalogSearch(query: \"customer_report_0\", first: 100) { hits { dataset } } }")
            .at("/catalogSearch/hits");
    hits.forEach(
        hit ->
            assertThat(hit.get("dataset").asText())
                .isNotEqualTo("analytics/view/customer_report_0"));
  }

  @Test
  @Order(7)
  void boundsRequestsAsEverySubgraphDoes() throws Exception {
    HttpRequest oversized =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"query\":\"{ __typename }\",\"variables\":{\"padding\":\""
                        + "x".repeat(600 * 1024)
                        + "\"}}"))
            .build();
    HttpResponse<String> refused = http.send(oversized, HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(refused.body()).at("/errors/0/extensions/code").asText())
        .isEqualTo("PAYLOAD_TOO_LARGE");
    // a body of unknown length (chunked) within the limit is read and served as any other
    byte[] small = "{\"query\":\"{ __typename }\"}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(small)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(chunked.body()).at("/data/__typename").asText()).isEqualTo("Query");

    // a million lineage nodes, each with its path: refused on its estimate, before any traversal
    JsonNode costly =
        post(
            "{ lineage(node: \"sales/table/sales.customers\", limit: 1000000) { nodes { id path {"
                + " from } } } }");
    assertThat(costly.at("/errors/0/extensions/code").asText()).isEqualTo("COST_LIMIT_EXCEEDED");
    assertThat(costly.at("/errors/0/message").asText()).contains("over the limit of 200000");
  }

  @Test
  @Order(7)
  void forgedAuditHeadsAreRefusedAndTheGenuineOnesShown() throws Exception {
    Instant at = Instant.parse("2026-11-27T02:00:00Z");
    String genuineSignatureOf9 =
        AUDIT.sign(AuditSigner.payload("distribution", 9, AuditSigner.root(9), at.toString()));
    // Valid JSON, but a tampered root under a genuine signature, and a signature over nothing.
    publishHead(
        "distribution",
        AuditSigner.json(
            "distribution",
            9,
            AuditSigner.root(666),
            at.toString(),
            genuineSignatureOf9,
            AUDIT.keyId()));
    publishHead(
        "distribution",
        AuditSigner.json(
            "distribution",
            10,
            AuditSigner.root(10),
            at.toString(),
            Base64.getEncoder().encodeToString(new byte[64]),
            AUDIT.keyId()));
    publishHead("mallory", new AuditSigner().head("mallory", 5, AuditSigner.root(5), at));
    publishHead("distribution", AUDIT.head("distribution", 7, AuditSigner.root(7), at));
    // Heads of one product share a partition, so once 7 shows, the forged ones before it were read.
    awaitHead("distribution", 7, AuditSigner.root(7));

    // A forged head covering more entries would replace a genuine one if it were taken.
    publishHead(
        "distribution",
        AuditSigner.json(
            "distribution",
            100,
            AuditSigner.root(100),
            at.toString(),
            genuineSignatureOf9,
            AUDIT.keyId()));
    publishHead("distribution", AUDIT.head("distribution", 8, AuditSigner.root(8), at));
    awaitHead("distribution", 8, AuditSigner.root(8));

    assertThat(
            data("{ dataProduct(name: \"mallory\") { name auditHead { treeSize } } }")
                .get("dataProduct")
                .isNull())
        .isTrue();
  }

  private void publishHead(String product, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(AuditHeads.TOPIC, product, value)).get();
  }

  private void awaitHead(String product, long treeSize, String rootHash) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode head =
                  data("{ dataProduct(name: \""
                          + product
                          + "\") { auditHead { treeSize rootHash keyId } } }")
                      .at("/dataProduct/auditHead");
              assertThat(head.path("treeSize").asLong()).isEqualTo(treeSize);
              assertThat(head.path("rootHash").asText()).isEqualTo(rootHash);
              assertThat(head.path("keyId").asText()).isEqualTo(AUDIT.keyId());
            });
  }

  @Test
  @Order(8)
  void restartResumesFromTheOffsetsInTheIndexAndTheIndexEqualsTheTopic() throws Exception {
    awaitIndexed("analytics/view/customer_report_19");
    service.close();
    service = null;
    Map<Integer, Long> stored;
    try (Catalog catalog = Catalog.open(stateDir.resolve("catalog-index"))) {
      stored = catalog.index().committedOffsets();
    }
    assertThat(stored.values().stream().mapToLong(Long::longValue).sum())
        .as("every record, the invalid one included, is behind the stored offsets")
        .isEqualTo(recordsSent);

    // while the service is down, a product removes one dataset and publishes another
    send("analytics/view/customer_report_1", null);
    CatalogEntry payments =
        dataset("payments")
            .product("finance")
            .domain("Finance")
            .owner("team-finance")
            .description("Payments received for invoices.")
            .field("invoice_id", "uuid", "Invoice paid.")
            .build();
    send(payments.id(), codec.encode(payments));

    startService();
    CatalogConsumer consumer = service.getBean(CatalogConsumer.class);
    assertThat(consumer.awaitCaughtUp(WAIT)).isTrue();
    assertThat(consumer.startOffsets()).isEqualTo(stored);
    assertThat(consumer.catalogRecordsSinceStart()).isEqualTo(2);
    assertThat(consumer.deadLettersSinceStart()).isZero();

    Set<String> indexed = new TreeSet<>();
    for (String product : List.of("sales", "distribution", "analytics", "finance")) {
      JsonNode datasets =
          data("{ dataProduct(name: \"" + product + "\") { datasets { id } } }")
              .at("/dataProduct/datasets");
      indexed.addAll(ids(datasets));
    }
    Set<String> expected = new TreeSet<>();
    published.forEach(
        (key, value) -> {
          if (value != null && !key.equals(BROKEN_KEY)) {
            expected.add(key);
          }
        });
    assertThat(indexed)
        .isEqualTo(expected)
        .contains("finance/table/payments")
        .doesNotContain("analytics/view/customer_report_0", "analytics/view/customer_report_1");
    assertThat(
            data("{ dataProduct(name: \"sales\") { auditHead { treeSize } } }")
                .at("/dataProduct/auditHead/treeSize")
                .asLong())
        .as("audit heads are rebuilt from their compacted topic")
        .isEqualTo(42);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        data("{ dataProduct(name: \"distribution\") { auditHead { rootHash } } }")
                            .at("/dataProduct/auditHead/rootHash")
                            .asText())
                    .as("forged heads read again on start are refused again")
                    .isEqualTo(AuditSigner.root(8)));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        data("{ dataProduct(name: \"sales\") { metrics { count } } }")
                            .at("/dataProduct/metrics/0/count")
                            .asLong())
                    .as("the latest metric windows are read again on start")
                    .isEqualTo(7));
  }

  private void startService() throws IOException {
    Path key = AUDIT.writePublicKey(stateDir.resolve("audit-ed25519-public.pem"));
    service =
        CatalogService.start(
            Map.of(
                "meshgate.catalog.audit-public-keys", key.toString(),
                "meshgate.kafka-bootstrap-servers", kafka.bootstrapServers(),
                "meshgate.state-dir", stateDir.toString(),
                "meshgate.topic-partitions", "3",
                "meshgate.catalog.commit-interval", "PT1S",
                "meshgate.catalog.metrics-discovery-interval", "PT1S",
                "server.port", "0"));
    port = Integer.parseInt(service.getEnvironment().getRequiredProperty("local.server.port"));
  }

  private List<CatalogEntry> generated() {
    List<CatalogEntry> entries = new ArrayList<>();
    entries.add(
        dataset("invoices")
            .product("finance")
            .domain("Finance")
            .owner("team-finance")
            .description("Invoices sent to customers for their orders.")
            .classifications("FINANCIAL")
            .field("id", "uuid", "Invoice identifier.")
            .field("billing_country", "char(2)", "Country the customer is billed in.")
            .edge(
                "distribution/table/distribution_read.customers#country",
                "finance/table/invoices#billing_country",
                Kind.DERIVATION)
            .build());
    for (int i = 0; i < 20; i++) {
      entries.add(
          dataset("customer_report_" + i)
              .product("analytics")
              .domain("Analytics")
              .owner("team-bi")
              .kind(DatasetKind.VIEW)
              .description("Report " + i + " about customer behaviour, per customer segment.")
              .field("customer_id", "uuid", "Customer of the row.")
              .build());
    }
    return entries;
  }

  private void send(String key, byte @Nullable [] value) {
    try {
      producer.send(new ProducerRecord<>(CatalogConsumer.TOPIC, key, value)).get();
    } catch (Exception e) {
      throw new IllegalStateException("could not publish " + key, e);
    }
    recordsSent++;
    published.remove(key);
    published.put(key, value);
  }

  private void awaitIndexed(String datasetId) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        data("{ dataset(id: \"" + datasetId + "\") { id } }")
                            .at("/dataset/id")
                            .asText())
                    .isEqualTo(datasetId));
  }

  private JsonNode data(String query) {
    JsonNode response = post(query);
    assertThat(response.path("errors")).as("errors of %s", query).isEmpty();
    return response.get("data");
  }

  private void assertError(String query, String argument, String problem) {
    JsonNode response = post(query);
    assertThat(response.path("errors")).as("errors of %s", query).hasSize(1);
    JsonNode error = response.at("/errors/0");
    assertThat(error.at("/extensions/field").asText()).isEqualTo(argument);
    assertThat(error.at("/extensions/code").asText()).isEqualTo("BAD_USER_INPUT");
    assertThat(error.get("message").asText()).contains(problem);
  }

  private JsonNode post(String query) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      JSON.writeValueAsString(Map.of("query", query))))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("HTTP status of %s", query).isEqualTo(200);
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> ids(JsonNode nodes) {
    List<String> ids = new ArrayList<>();
    nodes.forEach(node -> ids.add(node.get("id").asText()));
    return ids;
  }

  private static byte[] example(String name) throws IOException {
    try (InputStream in =
        CatalogServiceIT.class.getResourceAsStream("/meshgate/catalog/examples/" + name)) {
      if (in == null) {
        throw new IllegalStateException("example " + name + " is missing");
      }
      return in.readAllBytes();
    }
  }

  private Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return props;
  }

  private Properties consumerProperties() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }
}
