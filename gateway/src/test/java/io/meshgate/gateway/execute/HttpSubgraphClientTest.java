package io.meshgate.gateway.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.gateway.plan.Deadline;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The subgraph client's connection handling, against a bare socket server whose every misbehaviour
 * is scripted: keep-alive reuse, a connection the subgraph closed while it sat in the pool,
 * timeouts, oversized and malformed answers, and cancellation.
 */
class HttpSubgraphClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OK = "{\"data\":{\"hello\":\"world\"}}";

  private @Nullable ScriptedServer server;

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void reusesOneKeepAliveConnectionForSuccessiveRequests() throws Exception {
    server = new ScriptedServer((onConnection, request) -> Reply.json(200, OK));
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        JsonNode answer = client.send("s", "{ hello }", JSON.createObjectNode());
        assertThat(answer.at("/data/hello").asText()).isEqualTo("world");
      }
    }
    assertThat(server.connections.get()).isEqualTo(1);
    assertThat(server.requests).hasSize(5);
    assertThat(server.requests.get(0)).contains("POST /graphql?tenant=a HTTP/1.1");
    assertThat(server.requests.get(0)).containsIgnoringCase("host: 127.0.0.1:" + server.port());
    assertThat(server.requests.get(0)).contains("{\"query\":\"{ hello }\"}");
  }

  @Test
  void aQueryOnAConnectionTheSubgraphClosedInThePoolIsSentAgainOnANewOne() throws Exception {
    // The subgraph answers the first request on each connection and drops the connection, without
    // answering, when a second one arrives on it: as a server whose idle timeout fired just as the
    // gateway reused the pooled connection.
    server =
        new ScriptedServer(
            (onConnection, request) -> onConnection == 0 ? Reply.json(200, OK) : Reply.drop());
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1 << 20)) {
      for (int i = 0; i < 3; i++) {
        JsonNode answer = client.send("s", "{ hello }", JSON.createObjectNode());
        assertThat(answer.at("/data/hello").asText()).isEqualTo("world");
      }
    }
    assertThat(server.answered.get()).isEqualTo(3);
    assertThat(server.connections.get()).isEqualTo(3);
    assertThat(server.requests).hasSize(5);
  }

  @Test
  void aConnectionTheSubgraphSaysItClosesIsNotReused() throws Exception {
    server = new ScriptedServer((onConnection, request) -> Reply.closing(200, OK));
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        JsonNode answer =
            client.send("s", "mutation { bump }", JSON.createObjectNode(), Deadline.none());
        assertThat(answer.at("/data/hello").asText()).isEqualTo("world");
      }
    }
    assertThat(server.requests).hasSize(5);
    assertThat(server.connections.get()).isEqualTo(5);
  }

  @Test
  void aMutationIsNeverSentTwice() throws Exception {
    // Every request is read and then the connection dropped without an answer: the subgraph may
    // have applied it, so a mutation fails instead of being sent again.
    server = new ScriptedServer((onConnection, request) -> Reply.drop());
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1 << 20)) {
      assertThatThrownBy(
              () -> client.send("s", "mutation { bump }", JSON.createObjectNode(), Deadline.none()))
          .isInstanceOfSatisfying(
              SubgraphException.class,
              e -> {
                assertThat(e.code()).isEqualTo("SUBGRAPH_REQUEST_FAILED");
                assertThat(e.getMessage()).contains("closed the connection");
              });
    }
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aSlowSubgraphTimesOutAndItsConnectionIsDropped() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server =
        new ScriptedServer(
            (onConnection, request) -> {
              await(release);
              return Reply.json(200, OK);
            });
    try (HttpSubgraphClient client = client(Duration.ofMillis(200), 1 << 20)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> client.send("s", "{ hello }", JSON.createObjectNode()))
          .isInstanceOfSatisfying(
              SubgraphException.class,
              e -> {
                assertThat(e.code()).isEqualTo("SUBGRAPH_TIMEOUT");
                assertThat(e.getMessage()).contains("200 ms");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
      // Once the subgraph answers late, it finds the connection closed: it was not pooled.
      release.countDown();
      assertThat(server.closedByPeer.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aCancelledDeadlineDropsTheRequestInFlight() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    server =
        new ScriptedServer(
            (onConnection, request) -> {
              arrived.countDown();
              await(release);
              return Reply.json(200, OK);
            });
    try (HttpSubgraphClient client = client(Duration.ofSeconds(30), 1 << 20)) {
      Deadline deadline = Deadline.after(Duration.ofSeconds(30));
      Thread canceller =
          Thread.ofVirtual()
              .start(
                  () -> {
                    await(arrived);
                    deadline.cancel("the client went away");
                  });
      assertThatThrownBy(() -> client.send("s", "{ hello }", JSON.createObjectNode(), deadline))
          .isInstanceOfSatisfying(
              SubgraphException.class, e -> assertThat(e.code()).isEqualTo("REQUEST_CANCELLED"));
      canceller.join();
      release.countDown();
      assertThat(server.closedByPeer.await(5, TimeUnit.SECONDS)).isTrue();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aChunkedAnswerOverTheCapIsCutOff() throws Exception {
    String big = "{\"data\":{\"hello\":\"" + "x".repeat(4_000) + "\"}}";
    server = new ScriptedServer((onConnection, request) -> Reply.chunked(big));
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1_000)) {
      assertThatThrownBy(() -> client.send("s", "{ hello }", JSON.createObjectNode()))
          .isInstanceOfSatisfying(
              SubgraphException.class,
              e -> {
                assertThat(e.code()).isEqualTo("SUBGRAPH_RESPONSE_TOO_LARGE");
                assertThat(e.getMessage()).contains("1000 bytes");
              });
    }
  }

  @Test
  void anErrorStatusWithoutAGraphQlBodyNamesTheStatus() throws Exception {
    server = new ScriptedServer((onConnection, request) -> Reply.text(502, "bad gateway"));
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1 << 20)) {
      assertThatThrownBy(() -> client.send("s", "{ hello }", JSON.createObjectNode()))
          .isInstanceOfSatisfying(
              SubgraphException.class,
              e -> {
                assertThat(e.code()).isEqualTo("SUBGRAPH_REQUEST_FAILED");
                assertThat(e.getMessage()).contains("HTTP 502");
              });
    }
  }

  @Test
  void aBodyThatIsNotAGraphQlResponseIsRefused() throws Exception {
    server = new ScriptedServer((onConnection, request) -> Reply.json(200, "[1,2,3]"));
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1 << 20)) {
      assertThatThrownBy(() -> client.send("s", "{ hello }", JSON.createObjectNode()))
          .isInstanceOfSatisfying(
              SubgraphException.class,
              e -> assertThat(e.code()).isEqualTo("SUBGRAPH_INVALID_RESPONSE"));
    }
  }

  @Test
  void anErrorStatusWithAGraphQlBodyIsPassedOnAsTheSubgraphSaidIt() throws Exception {
    server =
        new ScriptedServer(
            (onConnection, request) ->
                Reply.json(400, "{\"errors\":[{\"message\":\"Cannot query field\"}]}"));
    try (HttpSubgraphClient client = client(Duration.ofSeconds(5), 1 << 20)) {
      JsonNode answer = client.send("s", "{ nope }", JSON.createObjectNode());
      assertThat(answer.at("/errors/0/message").asText()).isEqualTo("Cannot query field");
    }
  }

  @Test
  void aSubgraphNobodyListensOnFailsWithTheReason() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    try (HttpSubgraphClient client =
        new HttpSubgraphClient(
            Map.of("s", URI.create("http://127.0.0.1:" + closedPort + "/graphql")),
            Map.of(),
            Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> client.send("s", "{ hello }", JSON.createObjectNode()))
          .isInstanceOfSatisfying(
              SubgraphException.class,
              e -> {
                assertThat(e.code()).isEqualTo("SUBGRAPH_REQUEST_FAILED");
                assertThat(e.getMessage()).contains("'s'").containsIgnoringCase("refused");
              });
      assertThatThrownBy(() -> client.send("unknown", "{ hello }", JSON.createObjectNode()))
          .isInstanceOfSatisfying(
              SubgraphException.class,
              e -> assertThat(e.getMessage()).contains("no URL configured for subgraph 'unknown'"));
    }
  }

  @Test
  void aUrlThatIsNotHttpIsRefusedWhenTheClientIsBuilt() {
    assertThatThrownBy(
            () ->
                new HttpSubgraphClient(
                    Map.of("s", URI.create("ftp://127.0.0.1/graphql")),
                    Map.of(),
                    Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("subgraph 's'")
        .hasMessageContaining("not an http(s) URL");
  }

  private HttpSubgraphClient client(Duration timeout, long maxResponseBytes) {
    return new HttpSubgraphClient(
        Map.of("s", URI.create("http://127.0.0.1:" + server.port() + "/graphql?tenant=a")),
        Map.of(),
        timeout,
        false,
        maxResponseBytes);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The scripted server's answer to each request. */
  @FunctionalInterface
  private interface Script {
    /**
     * @param onConnection how many requests the same connection carried before this one
     */
    Reply reply(int onConnection, String request);
  }

  /** What the scripted server does with one request. */
  private record Reply(byte @Nullable [] bytes, boolean closeAfter) {
    static Reply json(int status, String body) {
      return raw(status, "application/json", body);
    }

    /** An answer that says the connection closes after it ({@code Connection: close}). */
    static Reply closing(int status, String body) {
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "HTTP/1.1 "
              + status
              + " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
              + content.length
              + "\r\n\r\n";
      return new Reply(concat(head.getBytes(StandardCharsets.US_ASCII), content), true);
    }

    static Reply text(int status, String body) {
      return raw(status, "text/plain", body);
    }

    static Reply raw(int status, String type, String body) {
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "HTTP/1.1 "
              + status
              + " X\r\nContent-Type: "
              + type
              + "\r\nContent-Length: "
              + content.length
              + "\r\n\r\n";
      return new Reply(concat(head.getBytes(StandardCharsets.US_ASCII), content), false);
    }

    static Reply chunked(String body) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      byte[] content = body.getBytes(StandardCharsets.UTF_8);
      for (int at = 0; at < content.length; at += 500) {
        int length = Math.min(500, content.length - at);
        out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(content, at, length);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return new Reply(out.toByteArray(), false);
    }

    static Reply drop() {
      return new Reply(null, true);
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] all = new byte[a.length + b.length];
      System.arraycopy(a, 0, all, 0, a.length);
      System.arraycopy(b, 0, all, a.length, b.length);
      return all;
    }
  }

  /** An HTTP/1.1 server on a bare socket that answers each request as the script says. */
  private static final class ScriptedServer implements AutoCloseable {
    final ServerSocket socket;
    final Script script;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
    final CountDownLatch closedByPeer = new CountDownLatch(1);
    final Thread acceptor;

    ScriptedServer(Script script) throws IOException {
      this.script = script;
      this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      this.acceptor = Thread.ofVirtual().start(this::accept);
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      while (!socket.isClosed()) {
        try {
          Socket connection = socket.accept();
          connections.incrementAndGet();
          Thread.ofVirtual().start(() -> serve(connection));
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void serve(Socket connection) {
      try (connection;
          InputStream in = new BufferedInputStream(connection.getInputStream());
          OutputStream out = connection.getOutputStream()) {
        for (int onConnection = 0; ; onConnection++) {
          String request = readRequest(in);
          if (request == null) {
            closedByPeer.countDown();
            return;
          }
          requests.add(request);
          Reply reply = script.reply(onConnection, request);
          if (reply.bytes() != null) {
            out.write(reply.bytes());
            out.flush();
            answered.incrementAndGet();
          }
          if (reply.closeAfter()) {
            return;
          }
        }
      } catch (IOException e) {
        closedByPeer.countDown();
      }
    }

    /** The request's head and body as text, or null when the peer closed the connection. */
    private static @Nullable String readRequest(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          return null;
        }
        head.write(b);
        matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      String text = head.toString(StandardCharsets.US_ASCII);
      int length = 0;
      for (String line : text.split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring("content-length:".length()).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      return text + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
