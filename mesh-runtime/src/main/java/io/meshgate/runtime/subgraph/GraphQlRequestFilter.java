package io.meshgate.runtime.subgraph;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The door of a subgraph's GraphQL endpoint: lets through only what is a GraphQL over HTTP request
 * (a {@code POST} of a JSON object whose {@code query} is a string, {@code variables} and {@code
 * extensions} objects or null, {@code operationName} a string or null, from a client that accepts
 * JSON) and answers everything else itself with a GraphQL error document and the fitting status, so
 * no client ever gets the web framework's own error page:
 *
 * <ul>
 *   <li>another method (a {@code GET}, be it a query or a mutation): 405 {@code METHOD_NOT_ALLOWED}
 *       with {@code Allow: POST};
 *   <li>an Accept header that allows neither {@code application/json} nor {@code
 *       application/graphql-response+json}: 406 {@code NOT_ACCEPTABLE};
 *   <li>no, an unreadable or another content type: 415 {@code UNSUPPORTED_MEDIA_TYPE}. {@code
 *       text/plain}, form and multipart bodies stay refused: a browser sends them cross-site
 *       without asking first, so accepting them would let any web page run mutations with a user's
 *       access;
 *   <li>a body that is not such a JSON object (bad JSON, {@code null}, an array of operations, a
 *       {@code query} that is not a string): 400 {@code BAD_REQUEST} saying what is wrong.
 * </ul>
 *
 * An {@code application/graphql} body is taken as the query text itself. What is let through is
 * passed on as {@code application/json} in UTF-8. The body was bounded by {@link RequestBodyLimit}
 * before it is read here.
 */
public final class GraphQlRequestFilter extends OncePerRequestFilter {

  private static final MediaType APPLICATION_GRAPHQL =
      MediaType.parseMediaType("application/graphql");
  private static final List<MediaType> ANSWERED =
      List.of(MediaType.APPLICATION_JSON, GraphQlErrorResponse.GRAPHQL_RESPONSE);
  private static final String HOW =
      "send a POST with Content-Type application/json and a body such as"
          + " {\"query\": \"{ __typename }\", \"variables\": {}}";

  /**
   * Spring's own reader refuses deeper documents; refusing them here says so in a GraphQL error.
   */
  private static final int MAX_JSON_DEPTH = 500;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
          .build();
  private static final ObjectMapper WRITER = new ObjectMapper();

  /** A request this filter answers itself. */
  private record Refusal(int status, String code, String message) {

    static Refusal badRequest(String message) {
      return new Refusal(HttpStatus.BAD_REQUEST.value(), "BAD_REQUEST", message);
    }

    static Refusal unsupported(String message) {
      return new Refusal(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(),
          "UNSUPPORTED_MEDIA_TYPE",
          message + "; " + HOW);
    }
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getMethod().equals("OPTIONS")) {
      // A CORS preflight: answered by the CORS configuration, if any.
      chain.doFilter(request, response);
      return;
    }
    if (!request.getMethod().equals("POST")) {
      response.setHeader(HttpHeaders.ALLOW, "POST");
      refuse(
          request,
          response,
          new Refusal(
              HttpStatus.METHOD_NOT_ALLOWED.value(),
              "METHOD_NOT_ALLOWED",
              request.getMethod()
                  + " is not supported here, for queries as for mutations; "
                  + HOW));
      return;
    }
    Refusal notAcceptable = checkAccept(request);
    if (notAcceptable != null) {
      refuse(request, response, notAcceptable);
      return;
    }
    MediaType contentType;
    try {
      contentType = contentType(request.getContentType());
    } catch (RefusedException refused) {
      refuse(request, response, refused.refusal);
      return;
    }
    byte[] body = request.getInputStream().readAllBytes();
    byte[] json = body;
    if (contentType.equalsTypeAndSubtype(APPLICATION_GRAPHQL)) {
      String query = utf8(body);
      if (query == null) {
        refuse(
            request,
            response,
            Refusal.badRequest("the application/graphql body is not UTF-8 text"));
        return;
      }
      json = WRITER.writeValueAsBytes(Map.of("query", query));
    } else {
      String problem = shapeProblem(body);
      if (problem != null) {
        refuse(request, response, Refusal.badRequest(problem + "; " + HOW));
        return;
      }
    }
    chain.doFilter(new BufferedBody(request, json, MediaType.APPLICATION_JSON_VALUE), response);
  }

  private static void refuse(
      HttpServletRequest request, HttpServletResponse response, Refusal refusal)
      throws IOException {
    GraphQlErrorResponse.write(
        request, response, refusal.status(), refusal.code(), refusal.message());
  }

  private static @Nullable Refusal checkAccept(HttpServletRequest request) {
    List<String> headers = Collections.list(request.getHeaders(HttpHeaders.ACCEPT));
    if (headers.isEmpty()) {
      return null;
    }
    try {
      for (String header : headers) {
        for (MediaType accepted : MediaType.parseMediaTypes(header)) {
          if (ANSWERED.stream().anyMatch(accepted::isCompatibleWith)) {
            return null;
          }
        }
      }
    } catch (InvalidMediaTypeException unreadable) {
      return new Refusal(
          HttpStatus.NOT_ACCEPTABLE.value(),
          "NOT_ACCEPTABLE",
          "the Accept header cannot be read; accept application/json or"
              + " application/graphql-response+json");
    }
    return new Refusal(
        HttpStatus.NOT_ACCEPTABLE.value(),
        "NOT_ACCEPTABLE",
        "the Accept header allows neither application/json nor application/graphql-response+json,"
            + " the only types this endpoint answers in");
  }

  /** The request's content type if it is one this endpoint reads. */
  private static MediaType contentType(@Nullable String header) throws RefusedException {
    if (header == null || header.isBlank()) {
      throw new RefusedException(Refusal.unsupported("the request has no Content-Type"));
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(header);
    } catch (InvalidMediaTypeException unreadable) {
      throw new RefusedException(Refusal.unsupported("the Content-Type cannot be read"));
    }
    boolean json =
        type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)
            || type.equalsTypeAndSubtype(GraphQlErrorResponse.GRAPHQL_RESPONSE);
    if (!json && !type.equalsTypeAndSubtype(APPLICATION_GRAPHQL)) {
      throw new RefusedException(
          Refusal.unsupported(
              "Content-Type " + type.getType() + "/" + type.getSubtype() + " is not read here"));
    }
    Charset charset;
    try {
      charset = type.getCharset();
    } catch (IllegalArgumentException unknown) {
      throw new RefusedException(
          Refusal.unsupported("the Content-Type names a charset that is not known"));
    }
    if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
      throw new RefusedException(
          Refusal.unsupported("the body must be UTF-8, not " + charset.name()));
    }
    return type;
  }

  /** Why {@code body} is not a GraphQL request document, or null if it is one. */
  static @Nullable String shapeProblem(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return "the request body is empty";
      }
      if (first == JsonToken.START_ARRAY) {
        return "a batch (a JSON array of operations) is not supported, send one operation per"
            + " request";
      }
      if (first != JsonToken.START_OBJECT) {
        return "the request body must be a JSON object, not " + describe(first);
      }
      boolean hasQuery = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        String problem =
            switch (name) {
              case "query" ->
                  value == JsonToken.VALUE_STRING
                      ? null
                      : "\"query\" must be a string, not " + describe(value);
              case "operationName" ->
                  value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL
                      ? null
                      : "\"operationName\" must be a string or null, not " + describe(value);
              case "variables", "extensions" ->
                  value == JsonToken.START_OBJECT || value == JsonToken.VALUE_NULL
                      ? null
                      : "\"" + name + "\" must be an object or null, not " + describe(value);
              default -> null;
            };
        if (problem != null) {
          return problem;
        }
        if (name.equals("query")) {
          hasQuery = true;
          // reads the string whole, so that text that is not UTF-8 is found here
          parser.getText();
        }
        parser.skipChildren();
      }
      if (parser.nextToken() != null) {
        return "the request body has more after its JSON object";
      }
      return hasQuery ? null : "the request has no \"query\"";
    } catch (StreamConstraintsException e) {
      return "the request body is JSON nested deeper than "
          + MAX_JSON_DEPTH
          + " levels or with a number or string"
          + " too long to read";
    } catch (JsonProcessingException e) {
      return "the request body is not valid JSON (line "
          + e.getLocation().getLineNr()
          + ", column "
          + e.getLocation().getColumnNr()
          + "): "
          + e.getOriginalMessage();
    } catch (IOException e) {
      return "the request body is not valid JSON";
    }
  }

  private static String describe(@Nullable JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "something else";
    };
  }

  private static @Nullable String utf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Carries a refusal out of a check that otherwise returns a value. */
  private static final class RefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    RefusedException(Refusal refusal) {
      super(refusal.message(), null, false, false);
      this.refusal = refusal;
    }
  }
}
