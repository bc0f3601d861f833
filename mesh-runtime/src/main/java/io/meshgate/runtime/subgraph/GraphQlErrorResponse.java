package io.meshgate.runtime.subgraph;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * A request refused before GraphQL runs, answered as GraphQL over HTTP answers: a JSON document
 * {@code {"errors":[{"message":..., "extensions":{"code":...}}]}} with the HTTP status, in {@code
 * application/graphql-response+json} when the client asked for it, else {@code application/json}.
 */
final class GraphQlErrorResponse {

  /** The media type of the GraphQL over HTTP specification. */
  static final MediaType GRAPHQL_RESPONSE =
      MediaType.parseMediaType("application/graphql-response+json");

  private static final ObjectMapper JSON = new ObjectMapper();

  private GraphQlErrorResponse() {}

  /**
   * Writes the error, replacing whatever the response held, unless the response is already
   * committed.
   */
  static void write(
      HttpServletRequest request,
      HttpServletResponse response,
      int status,
      String code,
      String message)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(contentType(request).toString() + ";charset=UTF-8");
    byte[] body =
        JSON.writeValueAsBytes(
            Map.of(
                "errors", List.of(Map.of("message", message, "extensions", Map.of("code", code)))));
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  /**
   * {@code application/graphql-response+json} if the request's Accept names it, else {@code
   * application/json}.
   */
  static MediaType contentType(HttpServletRequest request) {
    for (String accept : Collections.list(request.getHeaders(HttpHeaders.ACCEPT))) {
      try {
        for (MediaType type : MediaType.parseMediaTypes(accept)) {
          if (type.equalsTypeAndSubtype(GRAPHQL_RESPONSE)) {
            return GRAPHQL_RESPONSE;
          }
        }
      } catch (InvalidMediaTypeException unreadable) {
        // answered in plain JSON
      }
    }
    return MediaType.APPLICATION_JSON;
  }
}
