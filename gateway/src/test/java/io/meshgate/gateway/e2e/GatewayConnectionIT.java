package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.server.GatewayServer;
import io.meshgate.gateway.server.ServerOptions;
import io.meshgate.gateway.testkit.BenchmarkSubgraphs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the gateway does with connections: clients that leave, pipelined requests, oversized heads.
 */
class GatewayConnectionIT {

  private static BenchmarkSubgraphs subgraphs;

  @BeforeAll
  static void start() {
    subgraphs = BenchmarkSubgraphs.start();
  }

  @AfterAll
  static void stop() {
    subgraphs.close();
  }

  @Test
  void aClientThatClosesItsConnectionCancelsItsRequestAndTheSubgraphFetchInFlight()
      throws Exception {
    try (HangingSubgraph reviews = new HangingSubgraph()) {
      // Only the client leaving can end this request early: the deadline and the subgraph
      // timeout are a minute away.
      String sdl =
          subgraphs.supergraphSdl().replace(subgraphs.url("reviews").toString(), reviews.url());
      Gateway gateway =
          Gateway.fromSupergraph(
              sdl,
              GatewayOptions.defaults()
                  .withSubgraphTimeout(Duration.ofSeconds(60))
                  .withRequestTimeout(Duration.ofSeconds(60)));
      try (GatewayServer server =
          GatewayServer.start(
              "127.0.0.1",
              0,
              new AtomicReference<>(gateway),
              ServerOptions.defaults().withMaxConcurrentRequests(1))) {
        Socket client = new Socket("127.0.0.1", server.url().getPort());
        send(client, post("{ topProducts(first: 1) { name reviews { body } } }"));
        assertThat(reviews.asked.await(10, TimeUnit.SECONDS))
            .as("the gateway asked the reviews subgraph")
            .isTrue();

        client.close();

        assertThat(reviews.abandoned.await(5, TimeUnit.SECONDS))
            .as("the gateway dropped its request to the subgraph once its client left")
            .isTrue();
        // The one permit is free again once the cancelled request has unwound (moments, not the
        // minute its deadline allowed): the next request is served, not shed.
        String answer = "";
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
          try (Socket next = new Socket("127.0.0.1", server.url().getPort())) {
            send(next, post("{ topProducts(first: 1) { name } }"));
            answer = readAnswers(next, 1);
          }
          if (!answer.startsWith("HTTP/1.1 503")) {
            break;
          }
          Thread.sleep(50);
        }
        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"name\":\"Table\"");
      }
    }
  }

  @Test
  void answersPipelinedRequestsInTheOrderTheyWereSent() throws Exception {
    subgraphs.server("products").delay(Duration.ofMillis(300));
    try (GatewayServer server = startGateway();
        Socket client = new Socket("127.0.0.1", server.url().getPort())) {
      // The first request waits on a slow subgraph; the second needs none and could finish first.
      send(client, post("{ topProducts(first: 1) { name } }") + post("{ __typename }"));
      String answers = readAnswers(client, 2);
      assertThat(answers).startsWith("HTTP/1.1 200");
      assertThat(answers.indexOf("\"name\":\"Table\""))
          .isPositive()
          .isLessThan(answers.indexOf("\"__typename\":\"Query\""));
    } finally {
      subgraphs.server("products").reset();
    }
  }

  @Test
  void aRequestLineOverTheLimitIsAnsweredWithItsOwnStatusAndCode() throws Exception {
    try (GatewayServer server = startGateway();
        Socket client = new Socket("127.0.0.1", server.url().getPort())) {
      send(
          client,
          "GET /graphql?query=" + "a".repeat(300 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(readAnswers(client, 1))
          .startsWith("HTTP/1.1 414")
          .contains("URI_TOO_LONG")
          .containsIgnoringCase("connection: close");
    }
  }

  @Test
  void headersOverTheLimitAreAnsweredWithItsOwnStatusAndCode() throws Exception {
    try (GatewayServer server = startGateway();
        Socket client = new Socket("127.0.0.1", server.url().getPort())) {
      send(
          client,
          "GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "
              + "b".repeat(100 * 1024)
              + "\r\n\r\n");
      assertThat(readAnswers(client, 1))
          .startsWith("HTTP/1.1 431")
          .contains("REQUEST_HEADER_FIELDS_TOO_LARGE");
    }
  }

  @Test
  void aClientExpectingContinueIsToldToSendItsBody() throws Exception {
    try (GatewayServer server = startGateway();
        Socket client = new Socket("127.0.0.1", server.url().getPort())) {
      byte[] body = "{\"query\":\"{ __typename }\"}".getBytes(StandardCharsets.UTF_8);
      send(
          client,
          "POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              + "Expect: 100-continue\r\nContent-Length: "
              + body.length
              + "\r\n\r\n");
      client.setSoTimeout(5_000);
      byte[] interim = new byte[25];
      int read = client.getInputStream().readNBytes(interim, 0, interim.length);
      assertThat(new String(interim, 0, read, StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 100 Continue");
      client.getOutputStream().write(body);
      assertThat(readAnswers(client, 1))
          .contains("HTTP/1.1 200")
          .contains("\"__typename\":\"Query\"");
    }
  }

  private static GatewayServer startGateway() throws IOException {
    return GatewayServer.start(
        "127.0.0.1",
        0,
        new AtomicReference<>(
            Gateway.fromSupergraph(subgraphs.supergraphSdl(), GatewayOptions.defaults())));
  }

  private static String post(String query) {
    String body = "{\"query\":\"" + query.replace("\"", "\\\"") + "\"}";
    return "POST /graphql HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "Content-Type: application/json\r\n"
        + "Content-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static void send(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
  }

  /** Reads until {@code count} answers' bodies (by Content-Length) have arrived, or 10 s pass. */
  private static String readAnswers(Socket socket, int count) throws IOException {
    socket.setSoTimeout(10_000);
    ByteArrayOutputStream answers = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    InputStream in = socket.getInputStream();
    try {
      while (complete(answers.toString(StandardCharsets.UTF_8)) < count) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        answers.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      // whatever came is returned; the assertions say what was missing
    }
    return answers.toString(StandardCharsets.UTF_8);
  }

  private static int complete(String text) {
    int answers = 0;
    int at = 0;
    while (true) {
      int end = text.indexOf("\r\n\r\n", at);
      if (end < 0) {
        return answers;
      }
      String head = text.substring(at, end).toLowerCase();
      int length = 0;
      int header = head.indexOf("content-length:");
      if (header >= 0) {
        length = Integer.parseInt(head.substring(header + 15).split("\r\n")[0].trim());
      }
      if (text.length() < end + 4 + length) {
        return answers;
      }
      answers++;
      at = end + 4 + length;
    }
  }

  /** A subgraph that reads requests and never answers, and notices when its caller gives up. */
  private static final class HangingSubgraph implements AutoCloseable {
    final CountDownLatch asked = new CountDownLatch(1);
    final CountDownLatch abandoned = new CountDownLatch(1);
    private final ServerSocket listener;
    private final Thread acceptor;

    HangingSubgraph() throws IOException {
      listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          Thread.ofVirtual()
              .start(
                  () -> {
                    while (!listener.isClosed()) {
                      try {
                        Socket connection = listener.accept();
                        Thread.ofVirtual().start(() -> hold(connection));
                      } catch (IOException closed) {
                        return;
                      }
                    }
                  });
    }

    String url() {
      return "http://127.0.0.1:" + listener.getLocalPort() + "/graphql";
    }

    private void hold(Socket connection) {
      try (connection) {
        InputStream in = connection.getInputStream();
        byte[] buffer = new byte[8192];
        boolean counted = false;
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (n > 0 && !counted) {
            counted = true;
            asked.countDown();
          }
        }
        abandoned.countDown();
      } catch (IOException reset) {
        abandoned.countDown();
      }
    }

    @Override
    public void close() throws Exception {
      listener.close();
      acceptor.join(2_000);
    }
  }
}
