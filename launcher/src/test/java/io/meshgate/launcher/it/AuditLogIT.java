package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.audit.verify.AuditVerifierMain;
import io.meshgate.launcher.Mesh;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every change of every product lands in the audit log, readable through the gateway as the {@code
 * history} of the entity it changed, verifiable, and provable offline with the published key; an
 * invoice's record lineage leads back to the order that caused it.
 */
class AuditLogIT {

  private static final Duration LOGGED = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void anOrdersChangesAreItsHistoryVerifiableAndProvableThroughTheGateway() throws Exception {
    Mesh mesh = SharedMesh.get();
    GraphQlClient gateway = new GraphQlClient(mesh.gatewayUrl().resolve("/graphql"));
    await()
        .atMost(LOGGED)
        .until(
            () -> gateway.data("{ warehouses { id } }", Map.of()).path("warehouses").size() == 3);
    String warehouse =
        gateway.data("{ warehouses { id } }", Map.of()).at("/warehouses/0/id").asText();
    String customer =
        gateway
            .data("{ customers(first: 1) { edges { node { id } } } }", Map.of())
            .at("/customers/edges/0/node/id")
            .asText();
    String order =
        gateway
            .data(
                "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }",
                Map.of(
                    "input",
                    Map.of(
                        "customerId",
                        customer,
                        "warehouseId",
                        warehouse,
                        "currency",
                        "EUR",
                        "lines",
                        List.of(Map.of("sku", "AUDITED", "quantity", 1, "unitPrice", "9.99")))))
            .at("/placeOrder/id")
            .asText();
    await()
        .atMost(LOGGED)
        .until(
            () ->
                !gateway
                    .data("query($id: ID!) { order(id: $id) { id } }", Map.of("id", order))
                    .path("order")
                    .isNull());
    gateway.data("mutation($id: ID!) { cancelOrder(id: $id) { id } }", Map.of("id", order));

    // The order's history, from the audit subgraph, on distribution's Order: created, then
    // cancelled.
    JsonNode[] history = new JsonNode[1];
    await()
        .atMost(LOGGED)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              history[0] =
                  gateway
                      .data(
                          "query($id: ID!) { order(id: $id) { status history { seq op after } } }",
                          Map.of("id", order))
                      .at("/order/history");
              return history[0].size() == 2;
            });
    assertThat(history[0].get(0).path("op").asText()).isEqualTo("UPDATE");
    assertThat(history[0].get(0).path("after").asText()).contains("CANCELLED");
    assertThat(history[0].get(1).path("op").asText()).isEqualTo("CREATE");
    long seq = history[0].get(1).path("seq").asLong();

    // The whole log is verified by a background job, polled through the gateway.
    String job =
        gateway
            .data("mutation { startAuditVerification(product: \"distribution\") { id } }", Map.of())
            .at("/startAuditVerification/id")
            .asText();
    JsonNode[] verification = new JsonNode[1];
    await()
        .atMost(LOGGED)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              verification[0] =
                  gateway
                      .data(
                          "query($id: ID!) { auditVerificationJob(id: $id) { state valid"
                              + " entriesChecked firstBadSeq } }",
                          Map.of("id", job))
                      .path("auditVerificationJob");
              return verification[0].path("state").asText().matches("SUCCEEDED|FAILED");
            });
    assertThat(verification[0].path("valid").asBoolean()).as("%s", verification[0]).isTrue();
    assertThat(verification[0].path("entriesChecked").asLong()).isGreaterThan(seq);

    // The proof checks offline with nothing but the published public key. It is proved under a
    // stored head (a query signs none), so it is there once the next head covers the entry.
    JsonNode[] proved = new JsonNode[1];
    await()
        .atMost(LOGGED)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              proved[0] =
                  gateway.execute(
                      "query($seq: Int!) { auditProof(product: \"distribution\", seq: $seq) {"
                          + " leafIndex treeSize proofJson } }",
                      Map.of("seq", seq));
              return !proved[0].hasNonNull("errors");
            });
    JsonNode proof = proved[0].path("data").path("auditProof");
    assertThat(proof.path("leafIndex").asLong()).isEqualTo(seq);
    Path key =
        Files.writeString(
            dir.resolve("audit.pem"),
            gateway.data("{ auditPublicKey }", Map.of()).path("auditPublicKey").asText());
    Path proofFile = Files.writeString(dir.resolve("proof.json"), proof.path("proofJson").asText());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        AuditVerifierMain.run(
            new String[] {key.toString(), proofFile.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(AuditVerifierMain.VALID);
    Files.writeString(
        proofFile,
        proof
            .path("proofJson")
            .asText()
            .replaceFirst("\"leafIndex\"\\s*:\\s*" + seq, "\"leafIndex\":" + (seq + 1)));
    assertThat(
            AuditVerifierMain.run(
                new String[] {key.toString(), proofFile.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
        .isNotEqualTo(AuditVerifierMain.VALID);

    // Finance invoiced the order on its own; the invoice's record lineage leads back to the order's
    // changes.
    String invoice =
        gateway
            .data("query($id: ID!) { order(id: $id) { invoice { id } } }", Map.of("id", order))
            .at("/order/invoice/id")
            .asText();
    JsonNode[] lineage = new JsonNode[1];
    await()
        .atMost(LOGGED)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              lineage[0] =
                  gateway
                      .data(
                          "query($key: String!) { auditLineage(product: \"finance\", entity:"
                              + " \"invoice\", key: $key) { changes { op } causes { product entity"
                              + " key op } } }",
                          Map.of("key", invoice))
                      .path("auditLineage");
              return lineage[0].path("changes").size() >= 2
                  && lineage[0].path("causes").size() >= 2;
            });
    assertThat(lineage[0].at("/causes/0/product").asText()).isEqualTo("distribution");
    assertThat(lineage[0].at("/causes/0/key").asText()).contains(order);
  }
}
