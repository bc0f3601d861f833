package io.meshgate.runtime.subgraph;

import graphql.ErrorClassification;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Gives every error of a subgraph's answer an {@code extensions.code}: graphql-java and Spring for
 * GraphQL classify their errors ({@code extensions.classification}) but do not code them, and a
 * client (the gateway first) acts on codes. The code comes from the classification ({@link
 * #code(String)}). An internal error, a defect rather than the caller's mistake, is coded {@code
 * INTERNAL_SERVER_ERROR}, logged, and its message says no more than that; an operation that fails
 * outside graphql-java is answered the same way rather than with a 500.
 */
public final class ErrorCodes implements WebGraphQlInterceptor {

  /** The code of a defect of the subgraph. */
  public static final String INTERNAL = "INTERNAL_SERVER_ERROR";

  private static final Logger log = LoggerFactory.getLogger(ErrorCodes.class);

  private static final Map<String, String> BY_CLASSIFICATION =
      Map.ofEntries(
          Map.entry("InvalidSyntax", "GRAPHQL_PARSE_FAILED"),
          Map.entry("ValidationError", "GRAPHQL_VALIDATION_FAILED"),
          Map.entry("BadFaithIntrospection", "INTROSPECTION_LIMIT_EXCEEDED"),
          Map.entry("OperationNotSupported", "OPERATION_NOT_SUPPORTED"),
          Map.entry("ExecutionAborted", "EXECUTION_ABORTED"),
          Map.entry("BAD_REQUEST", "BAD_REQUEST"),
          Map.entry("UNAUTHORIZED", "UNAUTHENTICATED"),
          Map.entry("FORBIDDEN", "FORBIDDEN"),
          Map.entry("NOT_FOUND", "NOT_FOUND"),
          Map.entry("INTERNAL_ERROR", INTERNAL),
          Map.entry("DataFetchingException", INTERNAL),
          Map.entry("NullValueInNonNullableField", INTERNAL));

  /**
   * The code of an error classified {@code classification}: the table above, else the
   * classification itself in upper snake case ({@code SomeNewKind} becomes {@code SOME_NEW_KIND}),
   * so that no error is left without one.
   */
  static String code(String classification) {
    String known = BY_CLASSIFICATION.get(classification);
    if (known != null) {
      return known;
    }
    String snake =
        classification.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_");
    return snake.isEmpty() ? INTERNAL : snake.toUpperCase(Locale.ROOT);
  }

  @Override
  public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
    return chain
        .next(request)
        .map(response -> withCodes(response, request.getId()))
        .onErrorResume(
            failure -> {
              log.error(
                  "Operation {} failed outside graphql-java; answered as an internal error",
                  request.getId(),
                  failure);
              ExecutionResult result =
                  ExecutionResult.newExecutionResult()
                      .addError(internal(null, request.getId()))
                      .build();
              return Mono.just(
                  new WebGraphQlResponse(
                      new DefaultExecutionGraphQlResponse(request.toExecutionInput(), result)));
            });
  }

  private static WebGraphQlResponse withCodes(WebGraphQlResponse response, String executionId) {
    List<GraphQLError> errors = response.getExecutionResult().getErrors();
    if (errors.stream().allMatch(ErrorCodes::coded)) {
      return response;
    }
    List<GraphQLError> coded = new ArrayList<>(errors.size());
    for (GraphQLError error : errors) {
      coded.add(coded(error) ? error : withCode(error, executionId));
    }
    return response.transform(builder -> builder.errors(coded));
  }

  private static boolean coded(GraphQLError error) {
    Map<String, Object> extensions = error.getExtensions();
    return extensions != null && extensions.get("code") instanceof String code && !code.isBlank();
  }

  static GraphQLError withCode(GraphQLError error, String executionId) {
    ErrorClassification type = error.getErrorType();
    String code = code(type == null ? "" : type.toString());
    if (code.equals(INTERNAL)) {
      log.error(
          "Operation {} answered an internal error at {}: {}",
          executionId,
          error.getPath(),
          error.getMessage());
      return internal(error, executionId);
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (error.getExtensions() != null) {
      extensions.putAll(error.getExtensions());
    }
    extensions.put("code", code);
    return GraphqlErrorBuilder.newError()
        .message(error.getMessage())
        .locations(error.getLocations())
        .path(error.getPath())
        .errorType(type == null ? ErrorClassification.errorClassification(code) : type)
        .extensions(extensions)
        .build();
  }

  /** An error that says a defect happened and where to look, and nothing of its cause. */
  private static GraphQLError internal(@Nullable GraphQLError error, String executionId) {
    GraphqlErrorBuilder<?> builder =
        GraphqlErrorBuilder.newError()
            .message(
                "internal error of the subgraph (execution "
                    + executionId
                    + "; its log has the details)")
            .errorType(ErrorClassification.errorClassification(INTERNAL))
            .extensions(Map.of("code", INTERNAL));
    if (error != null) {
      builder.locations(error.getLocations()).path(error.getPath());
    }
    return builder.build();
  }
}
