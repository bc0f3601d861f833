package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.compose.SubgraphIntrospection;
import io.meshgate.gateway.server.GatewayServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A new supergraph swapped in while a request runs: the swap takes effect at once and the request
 * finishes on the gateway it started on.
 */
class GatewaySwapIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SDL =
      "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.5\", "
          + "import: [\"@key\"])\ntype Query { hello: String }";

  @Test
  void requestInFlightFinishesOnTheGatewayItStartedOn() throws Exception {
    CountDownLatch slowRequestArrived = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    HttpServer subgraph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    subgraph.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    subgraph.createContext(
        "/graphql",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          ObjectNode response = JSON.createObjectNode();
          if (body.contains("_service")) {
            response.putObject("data").putObject("_service").put("sdl", SDL);
          } else {
            slowRequestArrived.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            response.putObject("data").put("hello", "world");
          }
          byte[] bytes = JSON.writeValueAsBytes(response);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    subgraph.start();
    Map<String, URI> urls =
        Map.of(
            "greetings",
            URI.create("http://127.0.0.1:" + subgraph.getAddress().getPort() + "/graphql"));
    Map<String, String> sdls = SubgraphIntrospection.fetchSdls(urls, Duration.ofSeconds(5));
    GatewayOptions options = GatewayOptions.defaults();
    try (GatewayServer server =
        GatewayServer.start(
            "127.0.0.1",
            0,
            new AtomicReference<>(
                Gateway.fromSupergraph(SubgraphIntrospection.compose(sdls, urls), options)))) {
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> inFlight =
          client.sendAsync(
              HttpRequest.newBuilder(server.url().resolve("/graphql"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ hello }\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(slowRequestArrived.await(10, TimeUnit.SECONDS)).isTrue();

      // The swap neither waits for the request nor cuts it off.
      Gateway next = Gateway.fromSupergraph(SubgraphIntrospection.compose(sdls, urls), options);
      CompletableFuture.runAsync(() -> server.swap(next)).get(5, TimeUnit.SECONDS);
      assertThat(inFlight).isNotDone();
      release.countDown();

      HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("{\"data\":{\"hello\":\"world\"}}");
    } finally {
      subgraph.stop(0);
    }
  }
}
