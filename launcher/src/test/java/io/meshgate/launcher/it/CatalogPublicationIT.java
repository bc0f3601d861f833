package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.launcher.Mesh;
import io.meshgate.product.catalog.CatalogBuilder;
import io.meshgate.product.catalog.CatalogPublisher;
import io.meshgate.runtime.topics.EventSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every product publishes its catalog to mesh.catalog, derived from its contracts: schema-valid
 * entries, field-level lineage from table to topic to read model to GraphQL and across products,
 * classifications from the event schemas, and tombstones for datasets a product no longer has.
 */
class CatalogPublicationIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventSchemas SCHEMAS = new EventSchemas();
  private static Mesh mesh;

  @BeforeAll
  static void startMesh() {
    mesh = SharedMesh.get();
  }

  @Test
  void everyProductPublishesSchemaValidEntriesForItsTablesTopicsTypesAndMetrics() {
    Map<String, JsonNode> catalog = awaitCatalog(c -> c.containsKey("finance/metric/ledger"));
    for (Map.Entry<String, JsonNode> entry : catalog.entrySet()) {
      assertThat(SCHEMAS.violations(CatalogBuilder.ENTRY_SCHEMA, entry.getValue()))
          .as(entry.getKey())
          .isEmpty();
    }
    assertThat(catalog)
        .containsKeys(
            "sales/table/sales.customers",
            "sales/topic/mesh.sales.customer.changes",
            "sales/table/sales_read.customers",
            "sales/graphql/Customer",
            "sales/metric/changes",
            "sales/metric/freshness_lag_ms",
            "distribution/table/distribution.orders",
            "distribution/metric/orders",
            "distribution/graphql/Order",
            "finance/table/finance.ledger_transactions",
            "finance/graphql/Transaction");

    JsonNode customers = catalog.get("sales/table/sales.customers");
    assertThat(customers.path("owner").asText()).isEqualTo("team-sales");
    assertThat(customers.path("domain").asText()).isEqualTo("Sales");
    assertThat(customers.path("classifications").toString()).contains("PII");
    assertThat(field(customers, "email").path("classifications").toString()).isEqualTo("[\"PII\"]");
    assertThat(field(customers, "email").path("type").asText()).isEqualTo("varchar(320)");
    assertThat(customers.at("/metrics/rowCount").asLong()).isGreaterThanOrEqualTo(1000);
    assertThat(
            field(catalog.get("finance/table/finance.ledger_transactions"), "amount")
                .path("classifications")
                .toString())
        .isEqualTo("[\"FINANCIAL\"]");
  }

  @Test
  void lineageRunsFromColumnToTopicToReadModelToGraphqlAndAcrossProducts() {
    Map<String, JsonNode> catalog = awaitCatalog(c -> c.containsKey("finance/metric/ledger"));
    assertThat(edges(catalog.get("sales/topic/mesh.sales.customer.changes")))
        .containsEntry(
            "sales/table/sales.customers#email ->"
                + " sales/topic/mesh.sales.customer.changes#after.email",
            "CAPTURE");
    assertThat(edges(catalog.get("sales/table/sales_read.customers")))
        .containsEntry(
            "sales/topic/mesh.sales.customer.changes#after.email ->"
                + " sales/table/sales_read.customers#email",
            "PROJECTION");
    assertThat(edges(catalog.get("sales/graphql/Customer")))
        .containsEntry(
            "sales/table/sales_read.customers#email -> sales/graphql/Customer#email", "EXPOSURE");
    // Distribution's replica is fed from sales' topic; finance's ledger derives from distribution's
    // orders.
    assertThat(edges(catalog.get("distribution/table/distribution_read.customers")))
        .containsEntry(
            "sales/topic/mesh.sales.customer.changes#after.country ->"
                + " distribution/table/distribution_read.customers#country",
            "PROJECTION");
    assertThat(edges(catalog.get("finance/table/finance.ledger_transactions")))
        .containsEntry(
            "distribution/topic/mesh.distribution.order.changes#after.total ->"
                + " finance/table/finance.ledger_transactions#amount",
            "DERIVATION");
    assertThat(edges(catalog.get("distribution/metric/orders")))
        .containsEntry(
            "distribution/topic/mesh.distribution.order.changes#after.total ->"
                + " distribution/metric/orders#sum",
            "AGGREGATION")
        .containsEntry(
            "distribution/topic/mesh.distribution.order.changes#after.warehouse_id ->"
                + " distribution/metric/orders#dimensions.warehouse",
            "DERIVATION");
  }

  @Test
  void aDatasetTheProductNoLongerHasIsTombstoned() throws Exception {
    awaitCatalog(c -> c.containsKey("sales/table/sales.customers"));
    String retired = "sales/table/sales.retired_customers";
    JsonNode template = awaitCatalog(c -> true).get("sales/table/sales.customers");
    com.fasterxml.jackson.databind.node.ObjectNode stale = template.deepCopy();
    stale.put("name", "sales.retired_customers");
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  CatalogPublisher.TOPIC,
                  retired,
                  stale.toString().getBytes(StandardCharsets.UTF_8)))
          .get();
    }
    assertThat(awaitCatalog(c -> c.containsKey(retired))).containsKey(retired);

    // The next start reads the topic back, finds a dataset sales does not have, and tombstones it.
    CatalogPublisher publisher = mesh.product("sales").getBean(CatalogPublisher.class);
    publisher.stop();
    publisher.start();
    Map<String, JsonNode> after = awaitCatalog(c -> !c.containsKey(retired));
    assertThat(after).containsKey("sales/table/sales.customers").doesNotContainKey(retired);
  }

  private static JsonNode field(JsonNode entry, String name) {
    for (JsonNode field : entry.path("fields")) {
      if (field.path("name").asText().equals(name)) {
        return field;
      }
    }
    throw new AssertionError("no field " + name + " in " + entry.path("name"));
  }

  private static Map<String, String> edges(JsonNode entry) {
    Map<String, String> edges = new HashMap<>();
    entry
        .path("lineage")
        .forEach(
            e ->
                edges.put(
                    e.path("from").asText() + " -> " + e.path("to").asText(),
                    e.path("kind").asText()));
    return edges;
  }

  private static Map<String, JsonNode> awaitCatalog(
      java.util.function.Predicate<Map<String, JsonNode>> ready) {
    Map<String, JsonNode> seen = new LinkedHashMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              seen.clear();
              seen.putAll(readCatalog());
              return ready.test(seen);
            });
    return seen;
  }

  /** The topic's current state: latest value per key, tombstoned keys removed. */
  private static Map<String, JsonNode> readCatalog() throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    Map<String, JsonNode> catalog = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(CatalogPublisher.TOPIC).stream()
              .map(p -> new TopicPartition(CatalogPublisher.TOPIC, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() == null) {
            catalog.remove(record.key());
          } else {
            catalog.put(record.key(), JSON.readTree(record.value()));
          }
        }
      }
    }
    return catalog;
  }
}
