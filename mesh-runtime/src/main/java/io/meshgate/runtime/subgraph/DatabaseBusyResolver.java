package io.meshgate.runtime.subgraph;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;

/**
 * Turns "no database connection became free in time" (Hikari's {@link
 * SQLTransientConnectionException}, however jOOQ or Spring wrapped it) into a GraphQL error coded
 * {@code SERVICE_UNAVAILABLE} that says the database is busy, rather than an internal error: the
 * request did nothing and may simply be sent again.
 */
public final class DatabaseBusyResolver extends DataFetcherExceptionResolverAdapter {

  /** The error code of a request refused because every database connection was in use. */
  public static final String CODE = "SERVICE_UNAVAILABLE";

  @Override
  protected @Nullable GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
    if (!busy(ex)) {
      return null;
    }
    return GraphqlErrorBuilder.newError(env)
        .errorType(ErrorClassification.errorClassification(CODE))
        .message("the database is busy: no connection became free in time; try again shortly")
        .extensions(Map.of("code", CODE))
        .build();
  }

  /** Whether {@code ex} or one of its causes says the pool had no free connection. */
  static boolean busy(@Nullable Throwable ex) {
    for (Throwable cause = ex;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }
}
