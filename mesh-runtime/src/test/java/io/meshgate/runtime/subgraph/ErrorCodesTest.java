package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error a subgraph answers carries a code, taken from its classification. */
class ErrorCodesTest {

  @ParameterizedTest
  @CsvSource({
    "InvalidSyntax, GRAPHQL_PARSE_FAILED",
    "ValidationError, GRAPHQL_VALIDATION_FAILED",
    "BadFaithIntrospection, INTROSPECTION_LIMIT_EXCEEDED",
    "OperationNotSupported, OPERATION_NOT_SUPPORTED",
    "ExecutionAborted, EXECUTION_ABORTED",
    "BAD_REQUEST, BAD_REQUEST",
    "NOT_FOUND, NOT_FOUND",
    "INTERNAL_ERROR, INTERNAL_SERVER_ERROR",
    "SomeNewKind, SOME_NEW_KIND"
  })
  void codesAClassification(String classification, String code) {
    assertThat(ErrorCodes.code(classification)).isEqualTo(code);
  }

  @Test
  void keepsMessageAndExtensionsOfAnErrorItCodes() {
    GraphQLError error =
        GraphqlErrorBuilder.newError()
            .message("Unknown field 'iban'")
            .errorType(ErrorType.ValidationError)
            .extensions(Map.of("classification", "ValidationError"))
            .build();

    GraphQLError coded = ErrorCodes.withCode(error, "e1");

    assertThat(coded.getMessage()).isEqualTo("Unknown field 'iban'");
    assertThat(coded.getExtensions())
        .containsEntry("code", "GRAPHQL_VALIDATION_FAILED")
        .containsEntry("classification", "ValidationError");
  }

  @Test
  void anInternalErrorSaysNoMoreThanThatAndWhereToLook() {
    GraphQLError error =
        GraphqlErrorBuilder.newError()
            .message(
                "java.lang.ClassCastException: class java.lang.Double cannot be cast to class"
                    + " java.util.Map")
            .errorType(org.springframework.graphql.execution.ErrorType.INTERNAL_ERROR)
            .build();

    GraphQLError coded = ErrorCodes.withCode(error, "e2");

    assertThat(coded.getExtensions()).containsEntry("code", "INTERNAL_SERVER_ERROR");
    assertThat(coded.getMessage()).contains("e2").doesNotContain("java.", "Exception");
  }
}
