package io.meshgate.catalog.search;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.AttributeSource;
import org.apache.lucene.util.automaton.CompiledAutomaton;

/**
 * Terms of one field accepted by an already compiled automaton (a Levenshtein automaton of a query
 * word). Lucene's FuzzyQuery compiles its automata anew for every query object; one query word is
 * matched on several fields and tiers, and compiling an edit-distance-2 automaton costs
 * milliseconds, so the catalog compiles each once per search and shares it.
 */
final class SharedAutomatonQuery extends MultiTermQuery {

  private final String label;
  private final CompiledAutomaton automaton;

  SharedAutomatonQuery(
      String field, String label, CompiledAutomaton automaton, RewriteMethod rewrite) {
    super(field, rewrite);
    this.label = label;
    this.automaton = automaton;
  }

  /** Whether any term of the field in {@code reader} is accepted. */
  boolean acceptsAnyTerm(IndexReader reader) throws IOException {
    for (LeafReaderContext leaf : reader.leaves()) {
      Terms terms = leaf.reader().terms(field);
      if (terms != null && automaton.getTermsEnum(terms).next() != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
    return automaton.getTermsEnum(terms);
  }

  @Override
  public void visit(QueryVisitor visitor) {
    if (visitor.acceptField(field)) {
      visitor.consumeTermsMatching(this, field, () -> automaton.runAutomaton);
    }
  }

  @Override
  public String toString(String defaultField) {
    return (field.equals(defaultField) ? "" : field + ":") + label;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SharedAutomatonQuery that
        && field.equals(that.field)
        && label.equals(that.label)
        && rewriteMethod.equals(that.rewriteMethod);
  }

  @Override
  public int hashCode() {
    return Objects.hash(field, label, rewriteMethod);
  }
}
