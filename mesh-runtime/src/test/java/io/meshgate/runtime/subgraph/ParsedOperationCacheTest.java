package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Document;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A subgraph parses each distinct operation once and still refuses bad ones the same way. */
class ParsedOperationCacheTest {

  private final AtomicInteger fetches = new AtomicInteger();
  private final AtomicInteger parses = new AtomicInteger();

  private GraphQL graphql(ParsedOperationCache cache) {
    Instrumentation countParses =
        new Instrumentation() {
          @Override
          public @Nullable InstrumentationContext<Document> beginParse(
              InstrumentationExecutionParameters parameters, @Nullable InstrumentationState state) {
            parses.incrementAndGet();
            return null;
          }
        };
    return GraphQL.newGraphQL(FinanceSchema.build(fetches))
        .instrumentation(
            new ChainedInstrumentation(
                List.of(new OperationLimits(SubgraphLimits.DEFAULTS), countParses)))
        .preparsedDocumentProvider(cache)
        .build();
  }

  @Test
  void parsesTheSameOperationOnceWhateverItsVariables() {
    GraphQL graphql = graphql(new ParsedOperationCache());
    String query = "query($id: ID!) { account(id: $id) { id balance } }";

    for (String id : List.of("a", "b", "c")) {
      ExecutionResult result =
          graphql.execute(ExecutionInput.newExecutionInput(query).variables(Map.of("id", id)));
      assertThat(result.getErrors()).isEmpty();
    }

    assertThat(parses).hasValue(1);
    assertThat(fetches).hasValue(3);
  }

  @Test
  void limitsThatDependOnVariablesStillApplyToACachedOperation() {
    GraphQL graphql = graphql(new ParsedOperationCache());
    String query =
        "query($n: Int) { account(id: \"a\") { transactions(first: $n) { account {"
            + " transactions(first: $n) { id } } } } }";

    assertThat(graphql.execute(input(query, Map.of("n", 5))).getErrors()).isEmpty();
    ExecutionResult refused = graphql.execute(input(query, Map.of("n", 500)));

    assertThat(parses).hasValue(1);
    assertThat(refused.getErrors())
        .singleElement()
        .satisfies(e -> assertThat(e.getExtensions()).containsEntry("code", "COST_LIMIT_EXCEEDED"));
  }

  @Test
  void refusesAnInvalidOperationWithItsCodeEveryTime() {
    GraphQL graphql = graphql(new ParsedOperationCache());

    for (int i = 0; i < 2; i++) {
      assertThat(code(graphql.execute("{ account(id: \"a\") { noSuchField } }")))
          .isEqualTo("GRAPHQL_VALIDATION_FAILED");
      assertThat(code(graphql.execute("{ account(id: \"a\") { id }")))
          .isEqualTo("GRAPHQL_PARSE_FAILED");
    }

    assertThat(parses).as("refused operations are not kept").hasValue(4);
  }

  @Test
  void refusesAQueryOverTheParserLimitWithItsCodeEveryTime() {
    ParsedOperationCache cache = new ParsedOperationCache();
    GraphQL graphql = graphql(cache);
    String tooManyTokens =
        "{ account(id: \"a\") { " + "id ".repeat(SubgraphLimits.DEFAULTS.maxQueryTokens()) + "} }";

    for (int i = 0; i < 2; i++) {
      assertThat(code(graphql.execute(tooManyTokens))).isEqualTo("QUERY_TOO_LARGE");
    }
    assertThat(cache.size()).isZero();
  }

  @Test
  void keepsNoMoreQueryTextThanItsBound() {
    ParsedOperationCache cache = new ParsedOperationCache(2_000, 1_000);
    GraphQL graphql = graphql(cache);

    int shortest = Integer.MAX_VALUE;
    for (int i = 0; i < 200; i++) {
      String query = "{ a" + i + ": account(id: \"" + i + "\") { id } }";
      shortest = Math.min(shortest, query.length());
      assertThat(graphql.execute(query).getErrors()).isEmpty();
    }
    String longQuery = "{ account(id: \"a\") { id } }" + " ".repeat(1_000);
    graphql.execute(longQuery);
    graphql.execute(longQuery);

    assertThat(cache.size()).isBetween(1L, 2_000L / shortest);
    assertThat(parses).as("a query over the per-query bound is parsed every time").hasValue(202);
  }

  private static ExecutionInput input(String query, Map<String, Object> variables) {
    return ExecutionInput.newExecutionInput(query).variables(variables).build();
  }

  private static @Nullable Object code(ExecutionResult result) {
    assertThat(result.getErrors()).isNotEmpty();
    return result.getErrors().getFirst().getExtensions().get("code");
  }
}
