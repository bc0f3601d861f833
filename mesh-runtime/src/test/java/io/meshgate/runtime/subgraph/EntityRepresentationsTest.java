package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import graphql.ExceptionWhileDataFetching;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code _entities} representations that are no entity's are the caller's mistake, named before
 * anything is fetched.
 */
class EntityRepresentationsTest {

  private static final Set<String> ENTITIES = Set.of("Account", "Customer");

  static Stream<Arguments> notRepresentations() {
    return Stream.of(
        Arguments.of(0.0, "item 0 (counting from 0) is a number"),
        Arguments.of("Account", "item 0 (counting from 0) is a string"),
        Arguments.of(List.of(), "item 0 (counting from 0) is a list"),
        Arguments.of(Map.of("id", "a"), "has no __typename"),
        Arguments.of(Map.of("__typename", 7), "has no __typename"),
        Arguments.of(
            Map.of("__typename", "Ledger"),
            "'Ledger', which is not an entity type of this subgraph"));
  }

  @ParameterizedTest
  @MethodSource("notRepresentations")
  void refusesAValueThatIsNoEntityRepresentationNamingTheArgumentAndItem(
      Object item, String problem) {
    List<Object> representations = Arrays.asList(Map.of("__typename", "Account", "id", "a"), item);

    assertThatThrownBy(() -> EntityRepresentations.check(representations, ENTITIES))
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> {
              assertThat(e.field()).isEqualTo("representations");
              assertThat(e.code()).isEqualTo("BAD_USER_INPUT");
              assertThat(e.getMessage()).contains(problem.replace("item 0", "item 1"));
            });
  }

  @Test
  void acceptsRepresentationsOfThisSubgraphsEntities() {
    assertThatCode(
            () ->
                EntityRepresentations.check(
                    List.of(
                        Map.of("__typename", "Account", "id", "a"),
                        Map.of("__typename", "Customer", "id", "b")),
                    ENTITIES))
        .doesNotThrowAnyException();
  }

  @Test
  void theEntityTypesAreTheMembersOfTheEntityUnion() {
    assertThat(EntityRepresentations.entityTypeNames(FinanceSchema.build(new AtomicInteger())))
        .containsExactly("Account", "Customer", "Invoice", "Order", "Transaction");
  }

  @Test
  void aNumberForRepresentationsFailsTheFieldBeforeTheEntityFetcherRuns() {
    AtomicInteger fetches = new AtomicInteger();
    GraphQL graphql =
        GraphQL.newGraphQL(FinanceSchema.build(fetches))
            .instrumentation(new EntityRepresentations())
            .build();

    ExecutionResult result =
        graphql.execute(
            ExecutionInput.newExecutionInput("{ _entities(representations: 0.0) { __typename } }"));

    assertThat(result.getErrors())
        .singleElement()
        .isInstanceOfSatisfying(
            ExceptionWhileDataFetching.class,
            error ->
                assertThat(error.getException())
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("representations: item 0"));
    assertThat(fetches).hasValue(0);
  }
}
