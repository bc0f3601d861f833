package io.meshgate.launcher.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Sends GraphQL operations over real HTTP, as a client of the mesh would. */
final class GraphQlClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI endpoint;

  GraphQlClient(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** The whole response document ({@code data} and {@code errors}). */
  JsonNode execute(String query, Map<String, ?> variables) {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", query);
    body.set("variables", JSON.valueToTree(variables));
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/graphql-response+json, application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode execute(String query) {
    return execute(query, Map.of());
  }

  /** {@code data}, failing when the response carries errors. */
  JsonNode data(String query, Map<String, ?> variables) {
    JsonNode response = execute(query, variables);
    if (response.hasNonNull("errors")) {
      throw new AssertionError("GraphQL errors: " + response.get("errors"));
    }
    return response.get("data");
  }
}
