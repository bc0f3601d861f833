package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import io.meshgate.gateway.testkit.BenchmarkWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The public gateways-benchmark operation through the gateway over real HTTP subgraphs. */
class BenchmarkWorkloadIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static BenchmarkSubgraphs subgraphs;
  private static Gateway gateway;

  @BeforeAll
  static void start() {
    subgraphs = BenchmarkSubgraphs.start();
    gateway = Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    subgraphs.close();
  }

  @Test
  void answersTheBenchmarkOperationExactlyAsExpected() throws Exception {
    ObjectNode response =
        gateway
            .execute(BenchmarkWorkload.query(), null, JSON.createObjectNode(), null, false)
            .get();
    JsonNode expected = JSON.readTree(BenchmarkWorkload.expectedResponseJson());
    assertThat(response.toString()).isEqualTo(expected.toString());
  }

  @Test
  void composesTheSubgraphsItselfAndAnswersTheSame() throws Exception {
    try (Gateway composed = Gateway.fromSubgraphs(subgraphs.urls(), GatewayOptions.defaults())) {
      ObjectNode response =
          composed
              .execute(BenchmarkWorkload.query(), null, JSON.createObjectNode(), null, false)
              .get();
      assertThat(response.toString())
          .isEqualTo(JSON.readTree(BenchmarkWorkload.expectedResponseJson()).toString());
    }
  }

  @Test
  void answersTheSameFromAFederation1Supergraph() throws Exception {
    String fed1;
    try (var in =
        BenchmarkWorkloadIT.class.getResourceAsStream(
            "/supergraphs/gateways-benchmark.fed1.graphql")) {
      fed1 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (String name : BenchmarkSubgraphs.NAMES) {
      fed1 = fed1.replace("http://0.0.0.0:4200/" + name, subgraphs.url(name).toString());
    }
    try (Gateway federation1 = Gateway.fromSupergraph(fed1, GatewayOptions.defaults())) {
      assertThat(federation1.supergraph().joinVersion()).isEqualTo("0.1");
      ObjectNode response =
          federation1
              .execute(BenchmarkWorkload.query(), null, JSON.createObjectNode(), null, false)
              .get();
      assertThat(response.toString())
          .isEqualTo(JSON.readTree(BenchmarkWorkload.expectedResponseJson()).toString());
    }
  }

  @Test
  void printsItsPlan() {
    String plan = gateway.plan(BenchmarkWorkload.query(), null).toText();
    System.out.println(plan);
    assertThat(plan).contains("Fetch(service: \"accounts\")").contains("Flatten(path:");
  }
}
