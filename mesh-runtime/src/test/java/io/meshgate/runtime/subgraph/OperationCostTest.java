package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationCostTest {

  private static final GraphQLSchema FINANCE = FinanceSchema.build(new AtomicInteger());
  private static final long BUDGET = SubgraphLimits.DEFAULTS.maxCost();

  @Test
  void multipliesPageSizesAcrossTheTransactionsAccountCycle() {
    OperationCost.Estimate estimate =
        estimate(
            """
            query($id: ID!) { account(id: $id) {
              transactions(first: 500) { account { transactions(first: 500) { id amount } } } } }\
            """,
            Map.of());

    // account, 500 transactions, their 500 accounts, 500 x 500 transactions
    assertThat(estimate.cost()).isEqualTo(1 + 500 + 500 + 250_000);
    assertThat(estimate.cost()).isGreaterThan(BUDGET);
    assertThat(estimate.depth()).isEqualTo(5);
  }

  @Test
  void acceptsAFullPageOfInvoicesWithTheirAccounts() {
    OperationCost.Estimate estimate =
        estimate(
            """
            { invoices(first: 500) { totalCount
                edges { cursor node { id amount status account { id balance } } }
                pageInfo { endCursor hasNextPage } } }\
            """,
            Map.of());

    // the connection, 500 edges, 500 invoices, 500 accounts, pageInfo: the page size sizes edges
    assertThat(estimate.cost()).isEqualTo(1 + 500 + 500 + 500 + 1);
    assertThat(estimate.cost()).isLessThanOrEqualTo(BUDGET);
  }

  @Test
  void countsEntitiesByTheirRepresentationsTimesTheSelection() {
    String query =
        """
        query($representations: [_Any!]!) { _entities(representations: $representations) {
          ... on Customer { balance accounts { currency balance transactions(first: 5) { kind amount } } } } }\
        """;

    // per customer: itself, its accounts (assumed 10), 5 transactions each
    long perCustomer = 1 + 10 * (1 + 5);
    assertThat(estimate(query, Map.of("representations", customers(1))).cost())
        .isEqualTo(perCustomer);
    OperationCost.Estimate gatewayBatch =
        estimate(query, Map.of("representations", customers(3_000)));
    assertThat(gatewayBatch.cost()).isEqualTo(3_000 * perCustomer);
    assertThat(gatewayBatch.cost()).isLessThanOrEqualTo(BUDGET);
  }

  @Test
  void countsInlineRepresentationsToo() {
    OperationCost.Estimate estimate =
        estimate(
            """
            { _entities(representations: [{__typename: "Order", id: "1"}, {__typename: "Order", id: "2"}]) {
              ... on Order { invoice { amount } ledgerTransactions { amount } } } }\
            """,
            Map.of());

    assertThat(estimate.cost()).isEqualTo(2 * (1 + 1 + 10));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          literal first                  | { account(id: "a") { transactions(first: 3) { id } } }                 | 4
          argument default (20)          | { account(id: "a") { transactions { id } } }                           | 21
          variable first                 | query($n: Int) { account(id: "a") { transactions(first: $n) { id } } } | 8
          unsized list (assumed 10)      | { invoice(id: "a") { order { ledgerTransactions { id } } } }           | 12
          scalars cost nothing           | { account(id: "a") { id balance currency } }                           | 1
          metrics first default (200)    | { finance { metrics { name dimensions { name } } } }                   | 2201
          """)
  void sizesListsByTheirArguments(String name, String query, long cost) {
    assertThat(estimate(query, Map.of("n", 7)).cost()).isEqualTo(cost);
  }

  @Test
  void sizesAFragmentOnceForEveryPlaceItIsSpread() {
    OperationCost.Estimate estimate =
        estimate(
            """
            query { account(id: "a") { transactions(first: 2) { ...Tx } } invoices(first: 3) { edges { node { account {
              transactions(first: 4) { ...Tx } } } } } }
            fragment Tx on Transaction { id account { id } }\
            """,
            Map.of());

    // account + 2 x (tx + account); connection + 3 edges + 3 invoices + 3 accounts + 3 x 4 x (tx +
    // account)
    assertThat(estimate.cost()).isEqualTo((1 + 2 * 2) + (1 + 3 + 3 + 3 + 3 * 4 * 2));
  }

  @Test
  void estimatesAFragmentBombWithoutExpandingIt() {
    StringBuilder document =
        new StringBuilder("{ account(id: \"a\") { transactions(first: 1) { ...F40 } } }\n");
    document.append("fragment F0 on Transaction { account { id } }\n");
    for (int i = 1; i <= 40; i++) {
      document
          .append("fragment F")
          .append(i)
          .append(" on Transaction { ...F")
          .append(i - 1)
          .append(" ...F")
          .append(i - 1)
          .append(" }\n");
    }

    // 2^40 spreads of F0: expanding them would never finish
    OperationCost.Estimate estimate =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10), () -> estimateUnvalidated(document.toString(), Map.of()));
    assertThat(estimate.cost()).isGreaterThan(1L << 40);
  }

  @Test
  void saturatesInsteadOfOverflowing() {
    String nested =
        "{ account(id: \"a\") { "
            + "transactions(first: 2147483647) { account { ".repeat(4)
            + "id"
            + " } }".repeat(4)
            + " } }";

    assertThat(estimate(nested, Map.of()).cost()).isEqualTo(Long.MAX_VALUE);
  }

  private static List<Map<String, Object>> customers(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                Map.<String, Object>of(
                    "__typename", "Customer", "id", UUID.randomUUID().toString()))
        .toList();
  }

  private static OperationCost.Estimate estimate(String query, Map<String, Object> variables) {
    Document document = Parser.parse(query);
    assertThat(ParseAndValidate.validate(FINANCE, document)).as("validation errors").isEmpty();
    return estimateUnvalidated(query, variables);
  }

  private static OperationCost.Estimate estimateUnvalidated(
      String query, Map<String, Object> variables) {
    Document document = Parser.parse(query);
    Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    document
        .getDefinitionsOfType(FragmentDefinition.class)
        .forEach(f -> fragments.put(f.getName(), f));
    OperationDefinition operation =
        document.getDefinitionsOfType(OperationDefinition.class).getFirst();
    return OperationCost.of(
        FINANCE,
        operation,
        Collections.unmodifiableMap(fragments),
        variables,
        SubgraphLimits.DEFAULTS.assumedListSize());
  }
}
