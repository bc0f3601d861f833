package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.compose.CompositionException;
import io.meshgate.gateway.testkit.FixtureState;
import io.meshgate.gateway.testkit.FixtureSubgraph;
import io.meshgate.gateway.testkit.SubgraphServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * The federation conformance corpus ({@code src/test/resources/federation-cases}, described in its
 * README) through the gateway over real HTTP: each case's fixture subgraphs are served, composed by
 * the gateway's own composer, and every operation's answer is compared with the expected one (data
 * exactly, in selection order; errors by count and path). Cases named {@code invalid-*} must fail
 * composition with the expected message.
 */
class FederationCasesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FAULTS_FORMAT = "meshgate-fixture-faults/1";
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
  private static final List<RunningCase> STARTED = new ArrayList<>();

  @AfterAll
  static void stopSubgraphs() {
    synchronized (STARTED) {
      STARTED.forEach(RunningCase::close);
      STARTED.clear();
    }
  }

  @TestFactory
  Stream<DynamicNode> federationCases() throws IOException {
    return list(casesRoot()).filter(Files::isDirectory).map(FederationCasesIT::caseNode);
  }

  private static DynamicNode caseNode(Path dir) {
    String name = dir.getFileName().toString();
    if (name.startsWith("invalid-")) {
      return dynamicTest(
          name + " fails composition", dir.toUri(), () -> assertCompositionFails(dir));
    }
    RunningCase running = new RunningCase(dir);
    return dynamicContainer(
        name,
        dir.toUri(),
        operations(dir)
            .map(
                operation ->
                    dynamicTest(
                        name + "/" + operation.getFileName().toString().replace(".graphql", ""),
                        operation.toUri(),
                        () -> running.check(operation))));
  }

  private static void assertCompositionFails(Path dir) throws IOException {
    String expected = Files.readString(dir.resolve("expected-error.txt")).strip();
    try (RunningCase running = new RunningCase(dir)) {
      assertThatThrownBy(running::gateway)
          .as("composition of %s", dir.getFileName())
          .isInstanceOf(CompositionException.class)
          .hasMessageContaining(expected);
    }
  }

  /** A case's subgraphs, started at its first operation, and the gateway composed over them. */
  private static final class RunningCase implements AutoCloseable {
    private final Path dir;
    private final FixtureState state = new FixtureState();
    private final Map<String, SubgraphServer> servers = new LinkedHashMap<>();
    private @Nullable JsonNode faults;
    private @Nullable Gateway gateway;
    private @Nullable RuntimeException failedToStart;

    RunningCase(Path dir) {
      this.dir = dir;
    }

    synchronized Gateway gateway() {
      if (gateway != null) {
        return gateway;
      }
      if (failedToStart != null) {
        throw failedToStart;
      }
      synchronized (STARTED) {
        STARTED.add(this);
      }
      try {
        faults = readFaults();
        for (Path sdl :
            list(dir.resolve("subgraphs"))
                .filter(p -> p.toString().endsWith(".graphql"))
                .toList()) {
          String subgraph = sdl.getFileName().toString().replace(".graphql", "");
          JsonNode data =
              JSON.readTree(dir.resolve("subgraphs").resolve(subgraph + ".json").toFile());
          servers.put(
              subgraph,
              SubgraphServer.start(
                  subgraph, FixtureSubgraph.schema(subgraph, Files.readString(sdl), data, state)));
        }
        Map<String, URI> urls = new LinkedHashMap<>();
        servers.forEach((subgraph, server) -> urls.put(subgraph, server.url()));
        gateway = Gateway.fromSubgraphs(urls, options());
        String supergraph = gateway.supergraph().sdl();
        for (Map.Entry<String, URI> url : urls.entrySet()) {
          supergraph =
              supergraph.replace(url.getValue().toString(), "http://" + url.getKey() + "/graphql");
        }
        golden(
            dir.resolve("supergraph.graphql"), supergraph, "composition of " + dir.getFileName());
        return gateway;
      } catch (IOException e) {
        failedToStart = new UncheckedIOException(e);
        throw failedToStart;
      } catch (RuntimeException e) {
        failedToStart = e;
        throw e;
      }
    }

    private @Nullable JsonNode readFaults() throws IOException {
      Path file = dir.resolve("faults.json");
      if (!Files.exists(file)) {
        return null;
      }
      JsonNode json = JSON.readTree(file.toFile());
      assertThat(json.path("format").asText()).as("format of %s", file).isEqualTo(FAULTS_FORMAT);
      return json;
    }

    private GatewayOptions options() {
      GatewayOptions options = GatewayOptions.defaults();
      if (faults != null && faults.has("subgraphTimeoutMs")) {
        options =
            options.withSubgraphTimeout(
                Duration.ofMillis(faults.get("subgraphTimeoutMs").asLong()));
      }
      return options;
    }

    void check(Path operation) throws Exception {
      Gateway gateway = gateway();
      String name = operation.getFileName().toString().replace(".graphql", "");
      String query = Files.readString(operation);
      ObjectNode variables = readVariables(operation.resolveSibling(name + ".variables.json"));
      JsonNode expected = JSON.readTree(operation.resolveSibling(name + ".expected.json").toFile());
      state.reset();
      servers.values().forEach(SubgraphServer::reset);
      injectFaults(name);
      ObjectNode actual;
      String requests;
      Map<String, Integer> counts = new LinkedHashMap<>();
      try {
        actual =
            gateway
                .execute(query, null, variables, null, false)
                .get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        requests = requests();
        servers.forEach((subgraph, server) -> counts.put(subgraph, server.requestCount()));
        servers.values().forEach(SubgraphServer::reset);
      }
      // Whatever the case expects, a null answer always comes with errors that carry a code.
      if (!actual.has("data") || actual.get("data").isNull()) {
        assertThat(actual.path("errors").size())
            .as("%s/%s: data is null, so errors must say why: %s", dir.getFileName(), name, actual)
            .isPositive();
      }
      actual
          .path("errors")
          .forEach(
              error ->
                  assertThat(error.path("extensions").path("code").asText())
                      .as("%s/%s: every error has a code: %s", dir.getFileName(), name, error)
                      .isNotEmpty());
      String mismatch = compare(expected, actual);
      String problem =
          mismatch != null
              ? mismatch
              : compareRequestCounts(expected.path("subgraphRequests"), counts);
      assertThat(problem)
          .withFailMessage(
              () ->
                  "%s/%s: %s%n expected: %s%n actual:   %s%n plan:%n%s%n subgraph requests:%n%s"
                      .formatted(
                          dir.getFileName(),
                          name,
                          problem,
                          pretty(expected),
                          pretty(actual),
                          planText(gateway, query),
                          requests))
          .isNull();
      if (expected.has("data")) {
        golden(
            operation.resolveSibling(name + ".plan.txt"),
            planText(gateway, query) + "\n",
            "query plan of " + dir.getFileName() + "/" + name);
      }
    }

    private void injectFaults(String operation) {
      if (faults == null) {
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> bySubgraph =
          faults.path("operations").path(operation).properties().iterator();
      while (bySubgraph.hasNext()) {
        Map.Entry<String, JsonNode> fault = bySubgraph.next();
        SubgraphServer server = servers.get(fault.getKey());
        assertThat(server).as("subgraph %s named in faults.json", fault.getKey()).isNotNull();
        if (fault.getValue().has("failNextRequests")) {
          server.failNextRequests(
              fault.getValue().get("failNextRequests").asInt(),
              fault.getValue().path("status").asInt(500));
        }
        if (fault.getValue().has("delayMs")) {
          server.delay(Duration.ofMillis(fault.getValue().get("delayMs").asLong()));
        }
      }
    }

    private String requests() {
      StringBuilder out = new StringBuilder();
      servers.forEach(
          (subgraph, server) ->
              server
                  .recordedRequests()
                  .forEach(
                      body ->
                          out.append("  ")
                              .append(subgraph)
                              .append(": ")
                              .append(body)
                              .append('\n')));
      return out.toString();
    }

    @Override
    public synchronized void close() {
      if (gateway != null) {
        gateway.close();
      }
      servers.values().forEach(SubgraphServer::close);
      servers.clear();
    }
  }

  /**
   * Null when {@code actual} answers as {@code expected} says, else what differs. Data must be
   * equal, field order included; errors must be as many, and each expected error's {@code path}
   * (when given) and {@code service} (the subgraph its message or {@code extensions.serviceName}
   * must name, when given) must match a distinct actual error.
   */
  static @Nullable String compare(JsonNode expected, JsonNode actual) {
    if (expected.has("data") != actual.has("data")) {
      return expected.has("data")
          ? "the answer has no data"
          : "the answer has data, but the request should fail";
    }
    if (expected.has("data") && !pretty(expected.get("data")).equals(pretty(actual.get("data")))) {
      return "data differs";
    }
    List<JsonNode> unmatched = new ArrayList<>();
    actual.path("errors").forEach(unmatched::add);
    if (unmatched.size() != expected.path("errors").size()) {
      return "expected " + expected.path("errors").size() + " errors, got " + unmatched.size();
    }
    List<JsonNode> wanted = new ArrayList<>();
    // Errors with a path are matched first, so a path-less one does not take their partner.
    expected.path("errors").forEach(e -> wanted.add(e.has("path") ? 0 : wanted.size(), e));
    for (JsonNode error : wanted) {
      JsonNode match =
          unmatched.stream().filter(a -> errorMatches(error, a)).findFirst().orElse(null);
      if (match == null) {
        return "no error matches " + error;
      }
      unmatched.remove(match);
    }
    return null;
  }

  /** Null when every subgraph named in {@code expected} received exactly that many requests. */
  private static @Nullable String compareRequestCounts(
      JsonNode expected, Map<String, Integer> actual) {
    for (Map.Entry<String, JsonNode> count : expected.properties()) {
      Integer requests = actual.get(count.getKey());
      if (requests == null || requests != count.getValue().asInt()) {
        return "subgraph "
            + count.getKey()
            + " should receive "
            + count.getValue().asInt()
            + " requests, received "
            + requests;
      }
    }
    return null;
  }

  private static boolean errorMatches(JsonNode expected, JsonNode actual) {
    if (expected.has("path") && !expected.get("path").equals(actual.path("path"))) {
      return false;
    }
    if (expected.has("service")) {
      String service = expected.get("service").asText();
      return actual.path("message").asText().contains(service)
          || actual.path("extensions").path("serviceName").asText().equals(service);
    }
    return true;
  }

  private static ObjectNode readVariables(Path file) throws IOException {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    return (ObjectNode) JSON.readTree(file.toFile());
  }

  private static String planText(Gateway gateway, String query) {
    try {
      return gateway.plan(query, null).toText();
    } catch (RuntimeException e) {
      return "(no plan: " + e.getMessage() + ")";
    }
  }

  private static String pretty(@Nullable JsonNode node) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> operations(Path dir) {
    try {
      return list(dir.resolve("operations")).filter(p -> p.toString().endsWith(".graphql"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Set -Dmeshgate.golden.update=true to rewrite the golden files (then review the diff). */
  private static final boolean UPDATE_GOLDEN = Boolean.getBoolean("meshgate.golden.update");

  /**
   * Compares {@code actual} with a golden file next to the case (plans, composed supergraphs); with
   * {@link #UPDATE_GOLDEN} it writes the file into the source tree instead.
   */
  private static void golden(Path file, String actual, String what) {
    try {
      if (UPDATE_GOLDEN) {
        Path source =
            Path.of("src/test/resources/federation-cases").resolve(casesRoot().relativize(file));
        Files.writeString(source, actual);
        return;
      }
      assertThat(file)
          .as("golden file for the %s (create it with -Dmeshgate.golden.update=true)", what)
          .exists();
      assertThat(actual)
          .as("%s differs from %s", what, file.getFileName())
          .isEqualTo(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList().stream();
    }
  }

  private static Path casesRoot() {
    URL root = FederationCasesIT.class.getResource("/federation-cases");
    assertThat(root).as("federation-cases on the test classpath").isNotNull();
    try {
      return Path.of(root.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
