package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.launcher.Mesh;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Stopping and starting the embedded mesh on the same data directory resumes where it stopped. */
class MeshRestartIT {

  private static final String TOPIC = "mesh.sales.customer.changes";

  @Test
  void restartResumesWithoutResnapshotAndWithoutLosingOrReplayingChanges() throws Exception {
    Path dataDir = SharedMesh.tempDir("meshgate-restart-it-");
    String id;
    long eventsBefore;
    try (Mesh first = SharedMesh.start(dataDir, true)) {
      GraphQlClient sales = new GraphQlClient(first.salesUrl().resolve("/graphql"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  sales
                          .data("{ customers(first: 0) { totalCount } }", Map.of())
                          .at("/customers/totalCount")
                          .asInt()
                      == 1000);
      id =
          sales
              .data(
                  """
                  mutation { upsertCustomer(input: {name: "Before Restart", email: "b@example.com", country: "NO",
                    segment: CONSUMER}) { id } }\
                  """,
                  Map.of())
              .at("/upsertCustomer/id")
              .asText();
      await().atMost(Duration.ofSeconds(30)).until(() -> readModelCount(first) == 1001);
      eventsBefore = topicSize(first);
      assertThat(eventsBefore).isEqualTo(1001);
    }

    try (Mesh second = SharedMesh.start(dataDir, true)) {
      GraphQlClient sales = new GraphQlClient(second.salesUrl().resolve("/graphql"));
      assertThat(
              sales
                  .data("query($id: ID!) { customer(id: $id) { name } }", Map.of("id", id))
                  .at("/customer/name")
                  .asText())
          .isEqualTo("Before Restart");
      sales.data(
          """
          mutation($id: ID!) { upsertCustomer(input: {id: $id, name: "After Restart", email: "b@example.com",
            country: "NO", segment: CONSUMER}) { id } }\
          """,
          Map.of("id", id));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  "After Restart"
                      .equals(
                          sales
                              .data(
                                  "query($id: ID!) { customer(id: $id) { name } }",
                                  Map.of("id", id))
                              .at("/customer/name")
                              .asText()));
      // No re-snapshot: the topic grew by exactly the one change made after the restart.
      assertThat(topicSize(second)).isEqualTo(eventsBefore + 1);
      assertThat(readModelCount(second)).isEqualTo(1001);
      assertThat(
              sales
                  .data("{ customers(first: 0) { totalCount } }", Map.of())
                  .at("/customers/totalCount")
                  .asInt())
          .isEqualTo(1001);
    }
  }

  private static int readModelCount(Mesh mesh) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(mesh.jdbcUrl("sales"), mesh.user(), mesh.password());
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM sales_read.customers WHERE NOT deleted")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static long topicSize(Mesh mesh) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, mesh.kafkaBootstrapServers());
    try (Admin admin = Admin.create(props)) {
      int partitions =
          admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
      Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
      }
      return admin.listOffsets(request).all().get().values().stream()
          .mapToLong(o -> o.offset())
          .sum();
    }
  }
}
