package io.meshgate.runtime.subgraph;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;

/**
 * Turns an {@link InvalidInputException} into a GraphQL error a client can act on: the message,
 * {@code extensions.field} naming the argument or input field, and {@code extensions.code} ({@code
 * BAD_USER_INPUT}, {@code NOT_FOUND}, ...); never a 500. Every subgraph of the mesh registers one.
 */
public final class InvalidInputResolver extends DataFetcherExceptionResolverAdapter {

  @Override
  protected @Nullable GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
    if (!(ex instanceof InvalidInputException invalid)) {
      return null;
    }
    return GraphqlErrorBuilder.newError(env)
        .errorType(invalid.code().equals("NOT_FOUND") ? ErrorType.NOT_FOUND : ErrorType.BAD_REQUEST)
        .message(invalid.getMessage())
        .extensions(Map.of("code", invalid.code(), "field", invalid.field()))
        .build();
  }
}
