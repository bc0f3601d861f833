package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.launcher.MeshLauncher;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * A fourth product is a module and its contracts, nothing else: {@code meshgate run} with the
 * example product's module (product-subgraphs/loyalty) on its class path finds it through
 * ServiceLoader, runs its pipeline, gives its entity a history in the audit log and composes its
 * subgraph into the one graph, where a customer of sales carries its membership. The launcher's own
 * class path has no such product, so the mesh runs in a JVM of its own.
 */
class FourthProductIT {

  /** Where failsafe points to the example product's compiled module. */
  private static final String EXAMPLE_PRODUCT = "meshgate.example-product.classes";

  private static final Duration STARTED = Duration.ofMinutes(5);
  private static final Duration SETTLED = Duration.ofSeconds(60);

  @Test
  void theLauncherDiscoversAProductAddedAsAModuleAndComposesItIntoTheOneGraph() throws Exception {
    try (LaunchedMesh mesh =
        LaunchedMesh.start(exampleProduct(), SharedMesh.tempDir("meshgate-fourth-product-it-"))) {
      GraphQlClient gateway = new GraphQlClient(mesh.awaitGateway(STARTED));
      assertThat(mesh.output())
          .as("the launcher lists every subgraph it started")
          .anyMatch(line -> line.trim().startsWith("loyalty subgraph"));

      assertThat(fieldsOf(gateway, "LoyaltyMember"))
          .as("the product's own type, with the history the audit log adds to every product entity")
          .contains("id", "tier", "enrolledAt", "customer", "history");
      assertThat(fieldsOf(gateway, "Customer"))
          .as("sales' customer, extended by every product")
          .contains("name", "orders", "accounts", "loyalty");
      assertThat(
              gateway
                  .data("{ loyalty { metrics { name } } }", Map.of())
                  .at("/loyalty/metrics")
                  .isArray())
          .isTrue();

      String customer =
          gateway
              .data(
                  "mutation($input: CustomerInput!) { upsertCustomer(input: $input) { id } }",
                  Map.of(
                      "input",
                      Map.of(
                          "name",
                          "Katherine Johnson",
                          "email",
                          "katherine@example.com",
                          "country",
                          "US",
                          "segment",
                          "PUBLIC_SECTOR")))
              .at("/upsertCustomer/id")
              .asText();
      String member =
          gateway
              .data(
                  "mutation($id: ID!) { enrolMember(customerId: $id, tier: GOLD) { id } }",
                  Map.of("id", customer))
              .at("/enrolMember/id")
              .asText();

      JsonNode[] seen = new JsonNode[1];
      await()
          .atMost(SETTLED)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                seen[0] =
                    gateway
                        .data(
                            "query($id: ID!) { customer(id: $id) { name loyalty { id tier customer"
                                + " { name } } } }",
                            Map.of("id", customer))
                        .path("customer");
                return seen[0].at("/loyalty/tier").asText().equals("GOLD");
              });
      assertThat(seen[0].path("name").asText()).isEqualTo("Katherine Johnson");
      assertThat(seen[0].at("/loyalty/id").asText()).isEqualTo(member);
      assertThat(seen[0].at("/loyalty/customer/name").asText())
          .as("back to sales through loyalty's reference")
          .isEqualTo("Katherine Johnson");
    }
  }

  private static Path exampleProduct() {
    String location = System.getProperty(EXAMPLE_PRODUCT);
    assertThat(location)
        .as("system property " + EXAMPLE_PRODUCT + " (set by the launcher's pom)")
        .isNotNull();
    Path classes = Path.of(location).normalize();
    assertThat(classes.resolve("META-INF/services/io.meshgate.product.api.DataProductModule"))
        .as("the example product's module, built before the launcher (mvn -pl launcher -am ...)")
        .exists();
    return classes;
  }

  private static List<String> fieldsOf(GraphQlClient gateway, String type) {
    JsonNode fields =
        gateway
            .data(
                "query($type: String!) { __type(name: $type) { fields { name } } }",
                Map.of("type", type))
            .at("/__type/fields");
    return StreamSupport.stream(fields.spliterator(), false)
        .map(field -> field.path("name").asText())
        .toList();
  }

  /** {@code meshgate run} in a child JVM: the test class path plus one more module. */
  private static final class LaunchedMesh implements AutoCloseable {

    /** The line {@link MeshLauncher} prints for the gateway once the whole mesh is up. */
    private static final Pattern GATEWAY =
        Pattern.compile("^\\s*GraphQL\\s+(http://\\S+/graphql)\\s*$");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<URI> gateway = new CompletableFuture<>();

    private LaunchedMesh(Process process) {
      this.process = process;
    }

    static LaunchedMesh start(Path module, Path dataDir) throws IOException {
      List<String> command =
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp",
              System.getProperty("java.class.path") + File.pathSeparator + module,
              MeshLauncher.class.getName(),
              "--data-dir",
              dataDir.toString(),
              "--sample-data",
              "false",
              "--gateway-port",
              "0",
              "--sales-port",
              "0",
              "--product-ports",
              "*=0");
      LaunchedMesh mesh =
          new LaunchedMesh(new ProcessBuilder(command).redirectErrorStream(true).start());
      Thread.ofVirtual().start(mesh::readOutput);
      return mesh;
    }

    private void readOutput() {
      try (BufferedReader lines =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          synchronized (output) {
            output.add(line);
          }
          Matcher matcher = GATEWAY.matcher(line);
          if (matcher.matches()) {
            gateway.complete(URI.create(matcher.group(1)));
          }
        }
      } catch (IOException e) {
        // The child is gone and its pipe closed; what it printed is kept.
      }
      gateway.completeExceptionally(
          new AssertionError("the mesh exited before it was up:\n" + String.join("\n", output())));
    }

    URI awaitGateway(Duration timeout) throws InterruptedException {
      try {
        return gateway.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof AssertionError failure
            ? failure
            : new AssertionError(e.getCause());
      } catch (TimeoutException e) {
        throw new AssertionError(
            "the mesh was not up within " + timeout + ":\n" + String.join("\n", output()));
      }
    }

    List<String> output() {
      synchronized (output) {
        return List.copyOf(output);
      }
    }

    /** Stops the mesh as Ctrl-C does, so that it stops its embedded Postgres and Kafka. */
    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
