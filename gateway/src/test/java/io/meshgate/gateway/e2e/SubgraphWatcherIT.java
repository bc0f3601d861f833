package io.meshgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.GatewayOptions;
import io.meshgate.gateway.SubgraphWatcher;
import io.meshgate.gateway.compose.SubgraphIntrospection;
import io.meshgate.gateway.server.GatewayServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A subgraph whose schema changes is recomposed in; one that stops composing is not. */
class SubgraphWatcherIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LINK =
      "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.5\", import:"
          + " [\"@key\"])\n";

  @Test
  void recomposesWhenASubgraphSchemaChangesAndKeepsTheLastGoodOneOtherwise() throws Exception {
    AtomicReference<String> sdl = new AtomicReference<>(LINK + "type Query { hello: String }");
    HttpServer subgraph = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    subgraph.createContext(
        "/graphql",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          ObjectNode response = JSON.createObjectNode();
          if (body.contains("_service")) {
            response.putObject("data").putObject("_service").put("sdl", sdl.get());
          } else {
            response.putObject("data").put("hello", "world").put("goodbye", "moon");
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
    GatewayOptions options = GatewayOptions.defaults();
    Map<String, String> sdls = SubgraphIntrospection.fetchSdls(urls, Duration.ofSeconds(5));
    try (GatewayServer server =
            GatewayServer.start(
                "127.0.0.1",
                0,
                new AtomicReference<>(
                    Gateway.fromSupergraph(SubgraphIntrospection.compose(sdls, urls), options)));
        SubgraphWatcher watcher =
            new SubgraphWatcher(urls, sdls, options, server, Duration.ofHours(1))) {
      assertThat(answer(server, "{ goodbye }").at("/errors/0/message").asText())
          .contains("goodbye");

      sdl.set(LINK + "type Query { hello: String goodbye: String }");
      watcher.poll();
      assertThat(answer(server, "{ hello goodbye }").toString())
          .isEqualTo("{\"data\":{\"hello\":\"world\",\"goodbye\":\"moon\"}}");

      sdl.set(
          LINK
              + "type Query { hello: String goodbye: String }\n"
              + "type Thing @key(fields: \"missing\") { id: ID }");
      watcher.poll();
      assertThat(answer(server, "{ goodbye }").toString())
          .isEqualTo("{\"data\":{\"goodbye\":\"moon\"}}");
    } finally {
      subgraph.stop(0);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode answer(GatewayServer server, String query)
      throws Exception {
    return server.current().get().execute(query, null, JSON.createObjectNode(), null, false).get();
  }
}
