package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The limits as a subgraph applies them: through graphql-java, before any data is fetched. */
class OperationLimitsTest {

  private final AtomicInteger fetches = new AtomicInteger();
  private final GraphQL graphql =
      GraphQL.newGraphQL(FinanceSchema.build(fetches))
          .instrumentation(new OperationLimits(SubgraphLimits.DEFAULTS))
          .build();

  @Test
  void refusesTheMultiplyingCycleBeforeFetchingAnything() {
    ExecutionResult result =
        execute(
            """
            { account(id: "a") { transactions(first: 500) { account { transactions(first: 500) { id } } } } }\
            """);

    GraphQLError error = onlyError(result);
    assertThat(error.getExtensions())
        .containsEntry("code", "COST_LIMIT_EXCEEDED")
        .containsEntry("cost", 251_001L)
        .containsEntry("limit", 200_000L);
    assertThat(error.getMessage()).contains("251001").contains("200000");
    assertThat(fetches).hasValue(0);
  }

  @Test
  void refusesAnOperationDeeperThanTheLimit() {
    // cheap (one item per level) but 2 x 20 + 1 fields deep
    String deep =
        "{ account(id: \"a\") { "
            + "transactions(first: 1) { account { ".repeat(20)
            + "id"
            + " } }".repeat(20)
            + " } }";

    GraphQLError error = onlyError(execute(deep));
    assertThat(error.getExtensions())
        .containsEntry("code", "MAX_DEPTH_EXCEEDED")
        .containsEntry("depth", 42)
        .containsEntry("limit", 32);
    assertThat(error.getMessage()).contains("42").contains("32");
    assertThat(fetches).hasValue(0);
  }

  @Test
  void runsAGatewayEntitiesCallWithThousandsOfRepresentations() {
    List<Map<String, Object>> representations =
        IntStream.range(0, 3_000)
            .mapToObj(
                i ->
                    Map.<String, Object>of(
                        "__typename", "Customer", "id", UUID.randomUUID().toString()))
            .toList();

    ExecutionResult result =
        graphql.execute(
            ExecutionInput.newExecutionInput(
                    """
                    query($representations: [_Any!]!) { _entities(representations: $representations) {
                      ... on Customer { balance accounts { currency balance transactions(first: 5) { kind amount } } } } }\
                    """)
                .variables(Map.of("representations", representations)));

    assertThat(result.getErrors()).isEmpty();
    assertThat(result.<Map<String, List<?>>>getData().get("_entities")).hasSize(3_000);
  }

  @Test
  void refusesAQueryWithMoreTokensThanTheLimit() {
    String manyFields =
        "{ account(id: \"a\") { " + "id ".repeat(SubgraphLimits.DEFAULTS.maxQueryTokens()) + "} }";

    GraphQLError error = onlyError(execute(manyFields));
    assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_LARGE");
    assertThat(error.getMessage()).containsPattern("15.?000 'grammar' tokens");
  }

  @Test
  void refusesAQueryLongerThanTheLimit() {
    String padded =
        "{ account(id: \"a\") { id } }" + " ".repeat(SubgraphLimits.DEFAULTS.maxQueryCharacters());

    GraphQLError error = onlyError(execute(padded));
    assertThat(error.getExtensions()).containsEntry("code", "QUERY_TOO_LARGE");
    assertThat(error.getMessage()).contains("characters");
  }

  @Test
  void codesSyntaxAndValidationErrors() {
    assertThat(onlyError(execute("{ account(id: \"a\") { id ")).getExtensions())
        .containsEntry("code", "GRAPHQL_PARSE_FAILED");
    GraphQLError unknownField = onlyError(execute("{ account(id: \"a\") { iban } }"));
    assertThat(unknownField.getExtensions()).containsEntry("code", "GRAPHQL_VALIDATION_FAILED");
    assertThat(unknownField.getMessage()).contains("iban");
  }

  @Test
  void refusesMoreRootFieldsThanTheLimitBeforeFetchingAnything() {
    int limit = SubgraphLimits.DEFAULTS.maxRootFields();
    String aliases =
        IntStream.range(0, limit + 1)
            .mapToObj(i -> "a" + i + ": account(id: \"a\") { id }")
            .collect(java.util.stream.Collectors.joining(" ", "{ ", " }"));

    GraphQLError error = onlyError(execute(aliases));
    assertThat(error.getExtensions())
        .containsEntry("code", "MAX_ALIASES_EXCEEDED")
        .containsEntry("rootFields", limit + 1)
        .containsEntry("limit", limit);
    assertThat(error.getMessage()).contains(Integer.toString(limit + 1)).contains("root fields");
    assertThat(fetches).hasValue(0);
  }

  @Test
  void countsEachResponseKeyOnceHoweverOftenFragmentsRepeatIt() {
    int limit = SubgraphLimits.DEFAULTS.maxRootFields();
    // as many keys as the limit allows, in a fragment spread three times; two of them selected
    // directly too
    String keys =
        IntStream.range(0, limit)
            .mapToObj(i -> "a" + i + ": account(id: \"a\") { id }")
            .collect(java.util.stream.Collectors.joining(" "));
    String query =
        "{ a0: account(id: \"a\") { id } a1: account(id: \"a\") { id } ...Again ...Again"
            + " ... on Query { ...Again } } fragment Again on Query { "
            + keys
            + " }";

    ExecutionResult result = execute(query);

    assertThat(result.getErrors()).isEmpty();
    assertThat(fetches).hasValue(limit);
  }

  @Test
  void runsAnOrdinaryPage() {
    execute("{ invoices(first: 500) { totalCount edges { node { id account { id } } } } }");

    // the (empty) fixture's fetcher ran: the operation was not refused
    assertThat(fetches).hasValue(1);
  }

  private ExecutionResult execute(String query) {
    return graphql.execute(query);
  }

  private static GraphQLError onlyError(ExecutionResult result) {
    assertThat(result.getErrors()).hasSize(1);
    return result.getErrors().getFirst();
  }
}
