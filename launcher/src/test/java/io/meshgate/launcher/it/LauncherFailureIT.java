package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.launcher.MeshLauncher;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A wrong or unreachable address fails the start with one clear line, not a stack trace. */
class LauncherFailureIT {

  @Test
  void unreachableExternalPostgresFailsWithOneLineNamingIt() throws Exception {
    int closedPort = freePort();
    Result result =
        launch(
            "--postgres-url",
            "jdbc:postgresql://127.0.0.1:" + closedPort,
            "--kafka-bootstrap-servers",
            "127.0.0.1:" + freePort());
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderrLines()).hasSize(1);
    assertThat(result.stderrLines().get(0))
        .startsWith("meshgate: cannot reach Postgres at jdbc:postgresql://127.0.0.1:" + closedPort);
  }

  @Test
  void unreachableExternalKafkaFailsWithOneLineNamingIt() throws Exception {
    int closedPort = freePort();
    Result result = launch("--kafka-bootstrap-servers", "127.0.0.1:" + closedPort);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderrLines()).hasSize(1);
    assertThat(result.stderrLines().get(0))
        .startsWith("meshgate: cannot reach Kafka at 127.0.0.1:" + closedPort);
  }

  @Test
  void unknownOptionIsRejectedNamingIt() throws Exception {
    Result result = launch("--no-such-option", "1");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderrLines().get(0)).isEqualTo("meshgate: unknown option --no-such-option");
  }

  @Test
  void aBadValueIsOneLineNamingTheOption() throws Exception {
    Result result = launch("--sales-port", "http");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderrLines())
        .containsExactly(
            "meshgate: --sales-port must be a port number between 0 and 65535 (got http)");
  }

  @Test
  void helpListsEveryOptionAndStartsNothing() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                MeshLauncher.class.getName(),
                "--help")
            .start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(stdout)
        .contains(
            "meshgate run",
            "--data-dir",
            "MESHGATE_DATA_DIR",
            "--expose-query-plans",
            "MESHGATE_EXPOSE_QUERY_PLANS");
  }

  private record Result(int exitCode, List<String> stderrLines) {}

  private static Result launch(String... args) throws IOException, InterruptedException {
    Path dataDir = SharedMesh.tempDir("meshgate-failure-it-");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                MeshLauncher.class.getName(),
                "--data-dir",
                dataDir.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
    List<String> lines =
        stderr
            .lines()
            .filter(
                line -> !line.startsWith("WARNING:")) // the JVM's own notices about native access
            .toList();
    return new Result(process.exitValue(), lines);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
