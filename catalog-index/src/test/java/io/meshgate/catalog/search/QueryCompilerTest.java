package io.meshgate.catalog.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TopTermsRewrite;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryCompilerTest {

  private final QueryCompiler compiler = new QueryCompiler();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "customer_orders | true",
        "customer orders | true",
        "\"PROFIT AND LOSS\" | true",
        "order AND status | false",
        "NOT deprecated | false",
        "orders OR invoices | false",
        "tags:forecast | false"
      })
  void onlyTextThatReadsAsANameGetsTheExactNameTiers(String text, boolean tiers) throws Exception {
    assertThat(tiers(compiler.compile(text).ranked())).as(text).isEqualTo(tiers);
  }

  @ParameterizedTest
  @CsvSource({"order AND status, 2", "+order +status, 2", "order status, 0"})
  void requiredWordsScoreByTheirBestField(String text, int bestFieldWords) throws Exception {
    List<Query> dismax = new ArrayList<>();
    compiler
        .compile(text)
        .user()
        .visit(
            new QueryVisitor() {
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

  /** Queries a hostile caller sends, each with what the refusal must say. */
  static Stream<Arguments> hostileQueries() {
    return Stream.of(
        Arguments.of("/a{1,1000000}/", "repeats up to 1000000 times, at most 50"),
        Arguments.of("/(a|b)*a(a|b){24}/", "too complex"),
        Arguments.of("/a{51}/", "repeats up to 51 times"),
        Arguments.of("/x{60,}/", "repeats up to 60 times"),
        Arguments.of("/((ab){40}){40}/", "automaton states, at most 1000"),
        Arguments.of("/[a-z]{20}&[b-y]{20}&[c-x]{20}/", "automaton states"),
        Arguments.of("/" + "ab".repeat(51) + "/", "102 characters long, at most 100"),
        Arguments.of("/(abcdefghijklmnopqrstu){50}/", "automaton states"),
        Arguments.of("/.*mail/", "may not start with"),
        Arguments.of("/(x?)@/", "may not start with"),
        Arguments.of("/[^a]mail/", "may not start with"),
        Arguments.of("*omer", "leading wildcards"),
        Arguments.of("?omer", "leading wildcards"),
        Arguments.of("name:*omer", "leading wildcards"),
        Arguments.of("c*u*s*t*o*m*e*r", "7 wildcards, at most 5"),
        Arguments.of("c" + "u".repeat(120) + "*", "prefix is 122 characters long"),
        Arguments.of("customer~3", "must be 1 or 2, was 3"),
        Arguments.of("customer~0.5", "must be 1 or 2, was 0.5"),
        Arguments.of("c" + "u".repeat(120) + "~1", "fuzzy word is 121 characters long"),
        Arguments.of(
            "colour:red", "unknown field 'colour', searchable fields are name, field_names"),
        Arguments.of("source:customer", "unknown field 'source'"),
        Arguments.of("id:sales*", "unknown field 'id'"),
        Arguments.of("exact_dataset:/cust.*/", "unknown field 'exact_dataset'"),
        Arguments.of("[a TO z]", "a range needs a field"),
        Arguments.of("name:[a TO *]", "needs both bounds"),
        Arguments.of("name:{* TO z}", "needs both bounds"),
        Arguments.of("product:[a TO z]", "unknown field 'product'"),
        Arguments.of(words(8, i -> "customer" + (char) ('a' + i) + "~2"), "clauses"));
  }

  @ParameterizedTest
  @MethodSource("hostileQueries")
  void hostileQueryIsRefusedBeforeAnyWorkSayingWhy(String text, String problem) {
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () ->
            assertThatThrownBy(() -> compiler.compile(text))
                .as(text)
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining(problem));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "customer",
        "customer_orders",
        "\"contact e-mail address\"",
        "cust*",
        "name:cust*",
        "cust?mer",
        "tags:forecast",
        "order AND status",
        "NOT deprecated",
        "(orders OR invoices) AND NOT archive",
        "/cust.*er/",
        "/ord[ae]rs?/",
        "name:/[a-z]{2,5}_id/",
        "/(c|k)ust.*/",
        "/cust(o|u)mers?/",
        "/cust[^_]+/",
        "custmer~1",
        "customer~2",
        "customer~",
        "name:[a TO c]",
        "owner:{team-a TO team-z}",
        "*:*",
        "description:\"invoices sent\"~2",
        "field_names:email^2",
        "+customer -archive"
      })
  void legitimateQueriesStillCompile(String text) throws Exception {
    QueryCompiler.Compiled compiled = compiler.compile(text);

    assertThat(QueryCompiler.clauses(compiled.ranked()))
        .isLessThanOrEqualTo(IndexSearcher.getMaxClauseCount());
  }

  @Test
  void aQueryOfTheMostWordsAllowedStaysBelowTheClauseLimitWithFewerTypoAlternatives()
      throws Exception {
    String longest =
        words(QueryCompiler.MAX_WORDS, i -> "word" + (char) ('a' + i % 26) + (char) ('a' + i / 26));

    QueryCompiler.Compiled compiled = compiler.compile(longest);

    assertThat(QueryCompiler.clauses(compiled.user()))
        .isLessThanOrEqualTo(QueryCompiler.MAX_CLAUSES);
    assertThat(typoExpansions(compiled.user()))
        .isNotEmpty()
        .allSatisfy(size -> assertThat(size).isBetween(1, 15));
  }

  @Test
  void aShortQueryKeepsEveryTypoAlternative() throws Exception {
    assertThat(typoExpansions(compiler.compile("customer orders").user())).containsExactly(16, 16);
  }

  private static List<Integer> typoExpansions(Query query) {
    List<Integer> sizes = new ArrayList<>();
    query.visit(
        new QueryVisitor() {
          @Override
          public void consumeTermsMatching(
              Query leaf, String field, Supplier<ByteRunAutomaton> automaton) {
            if (leaf instanceof MultiTermQuery multi
                && multi.getRewriteMethod() instanceof TopTermsRewrite<?> top) {
              sizes.add(top.getSize());
            }
          }

          @Override
          public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
            return this;
          }
        });
    return sizes;
  }

  private static String words(int count, IntFunction<String> word) {
    return IntStream.range(0, count).mapToObj(word).collect(Collectors.joining(" "));
  }

  private static boolean tiers(Query query) {
    return query instanceof BooleanQuery bool
        && bool.clauses().stream().anyMatch(clause -> clause.query() instanceof NameTier);
  }
}
