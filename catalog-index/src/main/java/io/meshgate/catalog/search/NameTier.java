package io.meshgate.catalog.search;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;

/**
 * One exact-name tier: documents with one of the names score {@code score}, constant. Rewrites to
 * nothing when the index holds none of the names, so that the clause is gone before scoring: an
 * empty tier left in the query still counts in the query's score bounds (a tier scores far above
 * any BM25 score), and Lucene could then skip no block of a broad query's hits while collecting the
 * best ones. Most multi-word queries name nothing exactly.
 */
final class NameTier extends Query {

  /**
   * A {@link TermQuery} (one name) or a {@link SharedAutomatonQuery} (names within an edit
   * distance).
   */
  private final Query names;

  private final float score;

  private NameTier(Query names, float score) {
    this.names = Objects.requireNonNull(names, "names");
    this.score = score;
  }

  /** Documents with exactly the name {@code term}. */
  static NameTier exact(Term term, float score) {
    return new NameTier(new TermQuery(term), score);
  }

  /** Documents with a name {@code names} accepts. */
  static NameTier within(SharedAutomatonQuery names, float score) {
    return new NameTier(names, score);
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    boolean any =
        switch (names) {
          case TermQuery term -> searcher.getIndexReader().docFreq(term.getTerm()) > 0;
          case SharedAutomatonQuery automaton ->
              automaton.acceptsAnyTerm(searcher.getIndexReader());
          default -> true;
        };
    return any
        ? new BoostQuery(new ConstantScoreQuery(names), score)
        : new MatchNoDocsQuery("no name " + names);
  }

  @Override
  public void visit(QueryVisitor visitor) {
    names.visit(visitor.getSubVisitor(BooleanClause.Occur.SHOULD, this));
  }

  @Override
  public String toString(String field) {
    return "tier(" + names.toString(field) + ")^" + score;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NameTier that && names.equals(that.names) && score == that.score;
  }

  @Override
  public int hashCode() {
    return Objects.hash(names, score);
  }
}
