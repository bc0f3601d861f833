package io.meshgate.gateway.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal GraphQL-over-HTTP client for tests, to talk to a subgraph or to the gateway; one
 * HTTP/1.1 pool.
 */
public final class GraphQLClient implements AutoCloseable {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  /**
   * An HTTP answer.
   *
   * @param status the HTTP status
   * @param body the raw body
   */
  public record Response(int status, String body) {

    /** The body parsed as JSON; fails when it is not JSON. */
    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("not JSON (HTTP " + status + "): " + body, e);
      }
    }
  }

  /** POSTs {@code query} without variables. */
  public Response post(URI url, String query) {
    return post(url, query, Map.of());
  }

  /** POSTs {@code query} with {@code variables}. */
  public Response post(URI url, String query, Map<String, ?> variables) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("query", query);
    if (!variables.isEmpty()) {
      request.put("variables", variables);
    }
    try {
      return postJson(url, MAPPER.writeValueAsString(request));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("variables are not JSON-serializable", e);
    }
  }

  /** POSTs a ready JSON request body, such as {@link BenchmarkWorkload#requestJson()}. */
  public Response postJson(URI url, String jsonBody) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + url + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while POSTing to " + url, e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
