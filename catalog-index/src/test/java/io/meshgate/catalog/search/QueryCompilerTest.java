package io.meshgate.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryCompilerTest {

  private final QueryCompiler compiler = new QueryCompiler();

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "customer_orders | true",
      "customer orders | true",
      "\"PROFIT AND LOSS\" | true",
      "order AND status | false",
      "NOT deprecated | false",
      "orders OR invoices | false",
      "tags:forecast | false"})
  void onlyTextThatReadsAsANameGetsTheExactNameTiers(String text, boolean tiers) throws Exception {
    assertThat(tiers(compiler.compile(text).ranked())).as(text).isEqualTo(tiers);
  }

  @ParameterizedTest
  @CsvSource({"order AND status, 2", "+order +status, 2", "order status, 0"})
  void requiredWordsScoreByTheirBestField(String text, int bestFieldWords) throws Exception {
    List<Query> dismax = new ArrayList<>();
    compiler.compile(text).user().visit(new QueryVisitor() {
      @Override
      public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
        if (parent instanceof DisjunctionMaxQuery) {
          dismax.add(parent);
        }
        return this;
      }
    });
    assertThat(dismax.stream().distinct().count()).isEqualTo(bestFieldWords);
  }

  private static boolean tiers(Query query) {
    return query instanceof BooleanQuery bool
        && bool.clauses().stream().anyMatch(clause -> clause.query() instanceof NameTier);
  }
}
