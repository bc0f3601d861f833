package io.meshgate.catalog.search;

import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;
import org.jspecify.annotations.Nullable;

/**
 * Lucene's classic query parser restricted to the catalog's query language: only the searchable
 * fields may be named, and every construct that compiles to an automaton or enumerates terms is
 * checked before Lucene builds anything. A regular expression is parsed into its syntax tree (which
 * costs nothing) and refused when it repeats too often or would need too many states; only then is
 * its automaton built, under a lowered determinization work limit. A refusal is a {@link Refused}
 * naming what was wrong, thrown out of {@link #parse}.
 */
final class CatalogQueryParser extends MultiFieldQueryParser {

  /** Longest regular expression, wildcard pattern, prefix, fuzzy word or range bound. */
  static final int MAX_PATTERN_LENGTH = 100;

  /**
   * Largest repetition count of a regular expression ({@code {n}}, {@code {n,}}, {@code {n,m}}).
   */
  static final int MAX_REPEAT = 50;

  /**
   * Most automaton states a regular expression may need before determinization, estimated from its
   * syntax tree (repeats multiply, intersections multiply, everything else adds up).
   */
  static final int MAX_REGEX_STATES = 1_000;

  /**
   * Work Lucene may spend turning one regular expression or wildcard into a deterministic automaton
   * (a fifth of its default): {@code /(a|b)*a(a|b){24}/} has few states but 2^25 deterministic
   * ones, and is refused after a few milliseconds.
   */
  static final int DETERMINIZE_WORK_LIMIT = Operations.DEFAULT_DETERMINIZE_WORK_LIMIT / 5;

  /**
   * Widest character class a regular expression may start with: {@code [a-z0-9_]} and the like
   * narrow the terms to read at once, {@code [^x]} and {@code .} do not.
   */
  private static final int BROAD_CLASS = 256;

  /** Most {@code *} and {@code ?} in one wildcard word. */
  static final int MAX_WILDCARDS = 5;

  /** Largest fuzzy edit distance ({@code word~2}); Lucene's Levenshtein automata stop there. */
  static final int MAX_EDITS = 2;

  /** Terms one fuzzy word expands to per field, as for the typo alternatives of names. */
  static final int FUZZY_EXPANSIONS = 16;

  /** A query the catalog refuses to run; the message is for the user. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private final List<String> fields;

  CatalogQueryParser(Map<String, Float> boosts, Analyzer analyzer) {
    super(boosts.keySet().toArray(String[]::new), analyzer, boosts);
    this.fields = List.copyOf(boosts.keySet());
    setDefaultOperator(QueryParser.Operator.OR);
    setAllowLeadingWildcard(false);
    setDeterminizeWorkLimit(DETERMINIZE_WORK_LIMIT);
  }

  @Override
  protected Query getFieldQuery(String field, String queryText, boolean quoted)
      throws ParseException {
    checkField(field);
    return super.getFieldQuery(field, queryText, quoted);
  }

  @Override
  protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
    checkField(field);
    return super.getFieldQuery(field, queryText, slop);
  }

  @Override
  protected Query getPrefixQuery(String field, String termStr) throws ParseException {
    checkField(field);
    checkLength("prefix", termStr + "*");
    return super.getPrefixQuery(field, termStr);
  }

  @Override
  protected Query getWildcardQuery(String field, String termStr) throws ParseException {
    if ("*".equals(field) && "*".equals(termStr)) {
      return super.getWildcardQuery(field, termStr); // *:* matches everything
    }
    checkField(field);
    if (termStr.startsWith("*") || termStr.startsWith("?")) {
      throw new Refused(
          "a word may not start with * or ? (leading wildcards are not supported): '"
              + termStr
              + "'");
    }
    checkLength("wildcard pattern", termStr);
    long wildcards = termStr.chars().filter(c -> c == '*' || c == '?').count();
    if (wildcards > MAX_WILDCARDS) {
      throw new Refused(
          "wildcard pattern '"
              + termStr
              + "' has "
              + wildcards
              + " wildcards, at most "
              + MAX_WILDCARDS
              + " are allowed");
    }
    try {
      return super.getWildcardQuery(field, termStr);
    } catch (TooComplexToDeterminizeException e) {
      throw new Refused("wildcard pattern '" + termStr + "' is too complex");
    }
  }

  @Override
  protected Query getRegexpQuery(String field, String termStr) throws ParseException {
    checkField(field);
    checkRegexp(termStr);
    try {
      return super.getRegexpQuery(field, termStr);
    } catch (TooComplexToDeterminizeException e) {
      throw new Refused(
          "regular expression /"
              + termStr
              + "/ is too complex (it needs too many automaton states)");
    }
  }

  @Override
  protected Query getFuzzyQuery(String field, String termStr, float minSimilarity)
      throws ParseException {
    checkField(field);
    if (minSimilarity != Math.rint(minSimilarity)
        || minSimilarity < 0
        || minSimilarity > MAX_EDITS) {
      throw new Refused(
          "fuzzy edit distance of '"
              + termStr
              + "~' must be 1 or 2, was "
              + distance(minSimilarity));
    }
    checkLength("fuzzy word", termStr);
    return super.getFuzzyQuery(field, termStr, minSimilarity);
  }

  @Override
  protected Query newFuzzyQuery(Term term, float minimumSimilarity, int prefixLength) {
    // Lucene's default of 50 terms per field and word made a few fuzzy words exceed the clause
    // limit
    return new FuzzyQuery(term, (int) minimumSimilarity, prefixLength, FUZZY_EXPANSIONS, true);
  }

  @Override
  protected Query getRangeQuery(
      String field, String part1, String part2, boolean startInclusive, boolean endInclusive)
      throws ParseException {
    if (field == null) {
      throw new Refused("a range needs a field, e.g. name:[a TO c]");
    }
    checkField(field);
    if (part1 == null || part2 == null) {
      throw new Refused(
          "range on " + field + " needs both bounds (open ranges with * are not supported)");
    }
    checkLength("range bound", part1);
    checkLength("range bound", part2);
    return super.getRangeQuery(field, part1, part2, startInclusive, endInclusive);
  }

  /** Refuses a field the catalog does not search; null stands for all of them. */
  private void checkField(@Nullable String field) {
    if (field != null && !fields.contains(field)) {
      throw new Refused(
          "unknown field '" + field + "', searchable fields are " + String.join(", ", fields));
    }
  }

  private static void checkLength(String what, String text) {
    if (text.length() > MAX_PATTERN_LENGTH) {
      throw new Refused(
          what
              + " is "
              + text.length()
              + " characters long, at most "
              + MAX_PATTERN_LENGTH
              + " are allowed");
    }
  }

  /** Refuses a regular expression too long, repeating too often or too large to build. */
  static void checkRegexp(String text) {
    if (text.length() > MAX_PATTERN_LENGTH) {
      throw new Refused(
          "regular expression is "
              + text.length()
              + " characters long, at most "
              + MAX_PATTERN_LENGTH
              + " are allowed");
    }
    // the syntax the parser's RegexpQuery uses; an invalid one throws IllegalArgumentException
    RegExp tree = new RegExp(text, RegExp.ALL);
    if (startsWithAnything(tree)) {
      // like *foo: every term of the field would have to be read
      throw new Refused(
          "regular expression /"
              + text
              + "/ may not start with . or @ or a negated class "
              + "(leading wildcards are not supported)");
    }
    long states = states(tree, text);
    if (states > MAX_REGEX_STATES) {
      throw new Refused(
          "regular expression /"
              + text
              + "/ needs about "
              + states
              + " automaton states, at most "
              + MAX_REGEX_STATES
              + " are allowed");
    }
  }

  /** An upper estimate of the states of {@code node}'s automaton, saturating past the limit. */
  private static long states(RegExp node, String text) {
    long estimate =
        switch (node.kind) {
          case REGEXP_UNION, REGEXP_CONCATENATION ->
              states(node.exp1, text) + states(node.exp2, text);
          case REGEXP_INTERSECTION -> states(node.exp1, text) * states(node.exp2, text);
          case REGEXP_OPTIONAL, REGEXP_REPEAT -> states(node.exp1, text) + 1;
          case REGEXP_REPEAT_MIN -> states(node.exp1, text) * (repeat(node.min, text) + 1);
          case REGEXP_REPEAT_MINMAX ->
              states(node.exp1, text) * Math.max(1, repeat(node.max, text));
          // without the deprecated ~ syntax, a complement is only ever that of a class, [^...]
          case REGEXP_COMPLEMENT -> states(node.exp1, text) + 1;
          case REGEXP_DEPRECATED_COMPLEMENT ->
              throw new Refused(
                  "regular expression /" + text + "/ uses a complement, which is not supported");
          case REGEXP_STRING -> node.s.length() + 1;
          case REGEXP_INTERVAL -> 10L * Math.max(1, node.digits) + 1;
          default -> 2;
        };
    return Math.min(estimate, MAX_REGEX_STATES + 1L);
  }

  /** Whether the first character {@code node} matches may be any character. */
  private static boolean startsWithAnything(RegExp node) {
    return switch (node.kind) {
      case REGEXP_ANYCHAR, REGEXP_ANYSTRING, REGEXP_COMPLEMENT -> true;
      case REGEXP_CHAR_RANGE, REGEXP_CHAR_CLASS -> classWidth(node) > BROAD_CLASS;
      case REGEXP_CONCATENATION ->
          startsWithAnything(node.exp1)
              || (matchesEmpty(node.exp1) && startsWithAnything(node.exp2));
      case REGEXP_UNION -> startsWithAnything(node.exp1) || startsWithAnything(node.exp2);
      case REGEXP_INTERSECTION -> startsWithAnything(node.exp1) && startsWithAnything(node.exp2);
      case REGEXP_OPTIONAL, REGEXP_REPEAT, REGEXP_REPEAT_MIN, REGEXP_REPEAT_MINMAX ->
          startsWithAnything(node.exp1);
      default -> false;
    };
  }

  /** Whether {@code node} matches the empty string. */
  private static boolean matchesEmpty(RegExp node) {
    return switch (node.kind) {
      case REGEXP_OPTIONAL, REGEXP_REPEAT, REGEXP_ANYSTRING -> true;
      case REGEXP_REPEAT_MIN, REGEXP_REPEAT_MINMAX -> node.min == 0 || matchesEmpty(node.exp1);
      case REGEXP_CONCATENATION, REGEXP_INTERSECTION ->
          matchesEmpty(node.exp1) && matchesEmpty(node.exp2);
      case REGEXP_UNION -> matchesEmpty(node.exp1) || matchesEmpty(node.exp2);
      case REGEXP_STRING -> node.s.isEmpty();
      default -> false;
    };
  }

  /** Characters a class such as {@code [^a]} spans; a range node is one class of one range. */
  private static long classWidth(RegExp node) {
    if (node.from == null || node.to == null) {
      return 1;
    }
    long width = 0;
    for (int i = 0; i < node.from.length; i++) {
      width += node.to[i] - node.from[i] + 1L;
    }
    return width;
  }

  private static int repeat(int times, String text) {
    if (times > MAX_REPEAT) {
      throw new Refused(
          "regular expression /"
              + text
              + "/ repeats up to "
              + times
              + " times, at most "
              + MAX_REPEAT
              + " are allowed");
    }
    return times;
  }

  private static String distance(float minSimilarity) {
    return minSimilarity == Math.rint(minSimilarity)
        ? Integer.toString((int) minSimilarity)
        : Float.toString(minSimilarity);
  }
}
