package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operation is stopped at its deadline, between two fields, and the answer says so with a code.
 */
class OperationDeadlineTest {

  private static final int FIELDS = 200;
  private static final Duration SLOW_FIELD = Duration.ofMillis(20);

  private final AtomicInteger fetched = new AtomicInteger();
  private final OperationDeadline deadline =
      new OperationDeadline(Duration.ofMillis(300), "test-operation-deadline");
  private final GraphQL graphql =
      GraphQL.newGraphQL(slowSchema()).instrumentation(deadline).build();

  @AfterEach
  void stopTimer() {
    deadline.close();
  }

  @Test
  void stopsAnOperationOfManySlowFieldsAtItsDeadlineWithATimeoutError() {
    // 200 fields of 20 ms each would take 4 s; unbounded, 2,000 would take 40
    String query =
        IntStream.range(0, FIELDS)
            .mapToObj(i -> "f" + i + ": slow")
            .collect(Collectors.joining(" ", "{ ", " }"));

    ExecutionResult result =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> graphql.execute(query));

    assertThat(result.getErrors()).isNotEmpty();
    GraphQLError error = result.getErrors().getFirst();
    assertThat(error.getExtensions())
        .containsEntry("code", OperationDeadline.CODE)
        .containsEntry("timeoutMillis", 300L);
    assertThat(error.getMessage()).contains("300 ms");
    assertThat(fetched.get()).isPositive().isLessThan(FIELDS);
  }

  @Test
  void leavesAnOperationThatFinishesInTimeAlone() {
    ExecutionResult result = graphql.execute("{ a: slow b: slow }");

    assertThat(result.getErrors()).isEmpty();
    assertThat(fetched).hasValue(2);
  }

  private GraphQLSchema slowSchema() {
    DataFetcher<String> slow =
        env -> {
          fetched.incrementAndGet();
          Thread.sleep(SLOW_FIELD);
          return "done";
        };
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type("Query", type -> type.dataFetcher("slow", slow))
            .build();
    return new SchemaGenerator()
        .makeExecutableSchema(new SchemaParser().parse("type Query { slow: String }"), wiring);
  }
}
