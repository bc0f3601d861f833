package io.meshgate.gateway.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The gateway under load: either a standalone gateway started here in its own JVM ({@code java -jar
 * gateway.jar}), so its CPU and memory are its own, or one already running that is only attached
 * to.
 */
final class GatewayProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final Pattern READY = Pattern.compile("gateway ready in (\\d+) ms");

  private final URI graphqlUrl;
  private final @Nullable Process process;
  private final @Nullable Long pid;
  private final @Nullable Path log;
  private final String description;

  private GatewayProcess(
      URI graphqlUrl,
      @Nullable Process process,
      @Nullable Long pid,
      @Nullable Path log,
      String description) {
    this.graphqlUrl = graphqlUrl;
    this.process = process;
    this.pid = pid;
    this.log = log;
    this.description = description;
  }

  /**
   * Starts {@code jar} as its own process on a free loopback port and waits until {@code /health}
   * answers 200.
   *
   * @param folder private folder: the jar is copied there first (a concurrent rebuild then cannot
   *     swap it mid-run), and the gateway's output goes to {@code gateway.log} there
   */
  static GatewayProcess start(
      Path java,
      Path jar,
      List<String> jvmArgs,
      Path supergraph,
      Path folder,
      List<String> gatewayArgs)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IOException(
          "no gateway jar at "
              + jar.toAbsolutePath()
              + "; build it with: mvn -B -q -pl gateway -am package -DskipTests");
    }
    Path privateJar =
        Files.copy(jar, folder.resolve("gateway.jar"), StandardCopyOption.REPLACE_EXISTING);
    Path log = folder.resolve("gateway.log");
    int port = freeLoopbackPort();
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(jvmArgs);
    command.addAll(
        List.of(
            "-jar",
            privateJar.toString(),
            "--supergraph",
            supergraph.toString(),
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(port)));
    command.addAll(gatewayArgs);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    URI url = URI.create("http://127.0.0.1:" + port + "/graphql");
    GatewayProcess gateway =
        new GatewayProcess(url, process, process.pid(), log, String.join(" ", command));
    try {
      gateway.awaitHealthy(process);
    } catch (IOException | InterruptedException | RuntimeException e) {
      gateway.close();
      throw e;
    }
    return gateway;
  }

  /**
   * A gateway that is already running; {@code pid}, when known, lets its CPU and memory be
   * measured.
   */
  static GatewayProcess attach(URI graphqlUrl, @Nullable Long pid)
      throws IOException, InterruptedException {
    GatewayProcess gateway =
        new GatewayProcess(
            graphqlUrl,
            null,
            pid,
            null,
            "running gateway at "
                + graphqlUrl
                + (pid == null ? " (pid unknown: its CPU is not measured)" : " (pid " + pid + ")"));
    gateway.awaitHealthy(null);
    return gateway;
  }

  URI graphqlUrl() {
    return graphqlUrl;
  }

  /** The gateway's process id, null when attached without one. */
  @Nullable Long pid() {
    return pid;
  }

  String description() {
    return description;
  }

  /** The start-up time the gateway printed ("gateway ready in N ms"), or null. */
  @Nullable Long readyMillis() {
    if (log == null) {
      return null;
    }
    Matcher matcher = READY.matcher(readLog());
    return matcher.find() ? Long.parseLong(matcher.group(1)) : null;
  }

  private void awaitHealthy(@Nullable Process process) throws IOException, InterruptedException {
    URI health = graphqlUrl.resolve("/health");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).GET().build();
      String last = "no answer";
      while (System.nanoTime() - deadline < 0) {
        if (process != null && !process.isAlive()) {
          throw new IOException(
              "the gateway exited with status "
                  + process.exitValue()
                  + " before it was healthy:\n"
                  + logTail());
        }
        try {
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            return;
          }
          last = "HTTP " + response.statusCode() + ": " + response.body();
        } catch (IOException e) {
          last = e.toString();
        }
        Thread.sleep(100);
      }
      throw new IOException(
          "the gateway at "
              + health
              + " was not healthy within "
              + START_TIMEOUT.toSeconds()
              + " s (last: "
              + last
              + ")"
              + (log == null ? "" : "\n" + logTail()));
    }
  }

  /** The last lines of the gateway's output, to explain a failure. */
  String logTail() {
    String[] lines = readLog().split("\n");
    return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
  }

  private String readLog() {
    try {
      return log == null ? "" : Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /**
   * Stops a started gateway (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT}); leaves an attached
   * one alone.
   */
  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
