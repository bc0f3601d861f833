package io.meshgate.runtime.subgraph;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.sql.SQLException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;

/**
 * Turns a value the database refuses as data (SQLSTATE class 22: a NUL character in text, a number
 * out of range, an impossible date) into a {@code BAD_USER_INPUT} error with the database's own
 * one-line reason: such a value came from the request's arguments, so it is the caller's mistake to
 * correct, not an internal error.
 */
public final class InvalidValueResolver extends DataFetcherExceptionResolverAdapter {

  @Override
  protected @Nullable GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
    SQLException refused = dataException(ex);
    if (refused == null) {
      return null;
    }
    return GraphqlErrorBuilder.newError(env)
        .errorType(ErrorClassification.errorClassification("BAD_USER_INPUT"))
        .message(
            "a value of this request cannot be stored or compared by the database: "
                + reason(refused))
        .extensions(Map.of("code", "BAD_USER_INPUT"))
        .build();
  }

  /** The first cause that is an SQL data exception (SQLSTATE 22xxx), or null. */
  static @Nullable SQLException dataException(@Nullable Throwable ex) {
    for (Throwable cause = ex;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("22")) {
        return sql;
      }
    }
    return null;
  }

  /** The database's reason, first line only (later lines name statements and positions). */
  private static String reason(SQLException refused) {
    String message = String.valueOf(refused.getMessage());
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    return first.startsWith("ERROR: ") ? first.substring("ERROR: ".length()) : first;
  }
}
