package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.GatewayMain;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone gateway as operators run it: its own process, ready fast, gone on SIGTERM. */
class GatewayProcessIT {

  private static final Pattern READY =
      Pattern.compile("gateway ready in (\\d+) ms: (\\S+)/graphql");

  @Test
  void servesASupergraphFileAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    try (BenchmarkSubgraphs subgraphs = BenchmarkSubgraphs.start()) {
      Path supergraph = dir.resolve("supergraph.graphql");
      Files.writeString(supergraph, subgraphs.supergraphSdl());
      Process gateway = start("--supergraph", supergraph.toString(), "--port", "0");
      try {
        URI url = awaitReady(gateway);
        HttpResponse<String> answer =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(url.resolve("/graphql"))
                        .header("Content-Type", "application/json")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"query\":\"{ topProducts(first: 1) { name inStock } }\"}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body())
            .isEqualTo("{\"data\":{\"topProducts\":[{\"name\":\"Table\",\"inStock\":true}]}}");
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
      } finally {
        gateway.destroy();
      }
      assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).as("exits within 10 s of SIGTERM").isTrue();
    }
  }

  @Test
  void aMissingSupergraphFileIsOneClearLine(@TempDir Path dir) throws Exception {
    Process gateway = start("--supergraph", dir.resolve("nope.graphql").toString());
    String stderr = new String(gateway.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.exitValue()).isEqualTo(2);
    assertThat(stderr.lines().filter(l -> !l.startsWith("WARNING:")).findFirst())
        .hasValue("gateway: supergraph file not found: " + dir.resolve("nope.graphql"));
  }

  @Test
  void anUnreachableSubgraphIsNamedAtStartup() throws Exception {
    Process gateway = start("--subgraph", "ghost=http://127.0.0.1:1/graphql");
    String stderr = new String(gateway.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gateway.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gateway.exitValue()).isEqualTo(2);
    assertThat(stderr).contains("[ghost] cannot reach http://127.0.0.1:1/graphql");
  }

  private static Process start(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                GatewayMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  private static URI awaitReady(Process gateway) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      Matcher ready = READY.matcher(line);
      if (ready.find()) {
        System.out.println("standalone gateway ready in " + ready.group(1) + " ms");
        Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
        return URI.create(ready.group(2));
      }
    }
    throw new AssertionError(
        "the gateway exited before it was ready: "
            + new String(gateway.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
