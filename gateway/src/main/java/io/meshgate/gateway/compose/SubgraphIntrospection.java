package io.meshgate.gateway.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fetches subgraphs' SDL ({@code _service { sdl }}) over HTTP and composes them. */
public final class SubgraphIntrospection {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SubgraphIntrospection() {}

  /**
   * The SDL of each subgraph, by name.
   *
   * @throws CompositionException naming every subgraph that could not be asked
   */
  public static Map<String, String> fetchSdls(Map<String, URI> subgraphs, Duration timeout) {
    Map<String, String> sdls = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      for (Map.Entry<String, URI> subgraph : subgraphs.entrySet()) {
        try {
          HttpRequest request =
              HttpRequest.newBuilder(subgraph.getValue())
                  .timeout(timeout)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ _service { sdl } }\"}"))
                  .build();
          HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
          JsonNode sdl = JSON.readTree(response.body()).path("data").path("_service").path("sdl");
          if (response.statusCode() / 100 != 2 || !sdl.isTextual()) {
            errors.add(
                "["
                    + subgraph.getKey()
                    + "] "
                    + subgraph.getValue()
                    + " did not answer _service { sdl } (HTTP "
                    + response.statusCode()
                    + ")");
            continue;
          }
          sdls.put(subgraph.getKey(), sdl.asText());
        } catch (IOException e) {
          errors.add(
              "["
                  + subgraph.getKey()
                  + "] cannot reach "
                  + subgraph.getValue()
                  + ": "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CompositionException("interrupted while fetching subgraph schemas");
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new CompositionException(errors);
    }
    return sdls;
  }

  /** Fetches every subgraph's SDL and composes the supergraph SDL. */
  public static String compose(Map<String, URI> subgraphs, Duration timeout) {
    return compose(fetchSdls(subgraphs, timeout), subgraphs);
  }

  /** Composes already fetched SDLs (by subgraph name) into the supergraph SDL. */
  public static String compose(Map<String, String> sdls, Map<String, URI> subgraphs) {
    List<SubgraphSchema> schemas = new ArrayList<>();
    for (Map.Entry<String, String> sdl : sdls.entrySet()) {
      schemas.add(SubgraphSchema.parse(sdl.getKey(), subgraphs.get(sdl.getKey()), sdl.getValue()));
    }
    return Composer.compose(schemas);
  }
}
