package io.meshgate.catalog.search;

import io.meshgate.catalog.index.CatalogAnalyzers;
import io.meshgate.catalog.index.CatalogFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopTermsRewrite;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.apache.lucene.util.automaton.CompiledAutomaton;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Turns the user's query text into the Lucene query the catalog runs.
 *
 * <p>The text is parsed with Lucene's classic query parser over every searchable field with
 * per-field boosts. Plain words on the name field also match within an edit distance (one for 3-5
 * letters, two from 6, a swap of neighbours counting as one), scored below the word itself. When
 * the whole text reads as a name, constant-score tiers are added that no BM25 score can reach, so
 * exact matches always come first: dataset named exactly so, then field, then dataset named by the
 * singular, then field, then datasets and fields whose whole name is within an edit distance of the
 * query (the closer first), and only then everything else by BM25.
 *
 * <p>What a user may write is bounded before anything runs ({@link CatalogQueryParser}): only the
 * searchable fields, no leading wildcards, regular expressions of bounded length, repetition and
 * states, fuzzy distances up to two, ranges with both bounds; and the whole query may expand to at
 * most {@value #MAX_CLAUSES} clauses, so Lucene's clause limit is never what stops a search.
 */
final class QueryCompiler {

  /**
   * Score unit of the exact-name tiers. Lucene's BM25 scores one term in one field at most boost *
   * idf, and idf stays under 22 for any index under a billion documents; the field boosts below
   * (plus the fuzzy alternatives) add up to under 17, so one query word scores under 400 and
   * queries of up to {@value #MAX_WORDS} words stay below the smallest tier step (a quarter unit).
   */
  static final float TIER = 100_000f;

  /** Most words (runs of letters and digits) a query may have, to keep that guarantee. */
  static final int MAX_WORDS = 50;

  /** Longest query text accepted. */
  static final int MAX_LENGTH = 1_000;

  private static final float FUZZY_WEIGHT = 0.3f;

  /** Share of a required word's score in its other fields added to its best field's. */
  static final float REQUIRED_TIE_BREAKER = 0.1f;

  private static final int FUZZY_EXPANSIONS = CatalogQueryParser.FUZZY_EXPANSIONS;

  /**
   * Most clauses a query may expand to ({@link #clauses}), below Lucene's limit of 1,024 per search
   * so that the exact-name tiers and one filter clause per facet dimension still fit.
   */
  static final int MAX_CLAUSES = 1_000;

  private static final Map<String, Float> BOOSTS = boosts();

  /**
   * Fields whose words also match within an edit distance. Only names: a fuzzy disjunction per
   * field multiplies the cost of every query, and a typo in a word of a field's or dataset's name
   * is found through that dataset's or field's own name.
   */
  private static final Set<String> FUZZY_FIELDS = Set.of(CatalogFields.NAME);

  /** Compiled automata kept across searches; users repeat words (typing, paging, refining). */
  private static final int AUTOMATA_CACHED = 1_024;

  private static final Pattern NAME_LIKE = Pattern.compile("[\\p{L}\\p{N}_.\\- ]+");

  /** The classic parser's operators: text using them is a boolean query, not a name. */
  private static final Pattern OPERATOR = Pattern.compile("(^|\\s)(AND|OR|NOT)(\\s|$)");

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
  private static final Pattern LEXICAL_COLUMN = Pattern.compile("column (\\d+)");

  private final Analyzer analyzer = CatalogAnalyzers.perField();

  /**
   * A compiled query.
   *
   * @param user the parsed and expanded user query (what highlights are made of)
   * @param text the query text
   * @param automata the query's Levenshtein automata
   */
  record Compiled(Query user, String text, Automata automata) {

    /** What runs: the user query plus the exact-name tiers. */
    Query ranked() {
      return rankedWith(user);
    }

    /**
     * {@link #ranked()} around {@code user} rewritten already, so a search that highlights the user
     * query too expands its fuzzy and prefix words over the terms dictionary only once.
     */
    Query rankedWith(Query rewrittenUser) {
      return withExactNameTiers(text, rewrittenUser, automata);
    }
  }

  private final Map<String, CompiledAutomaton> automataCache =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CompiledAutomaton> eldest) {
              return size() > AUTOMATA_CACHED;
            }
          });

  /** Compiles the user's query text. */
  Compiled compile(String text) throws InvalidQueryException {
    Automata automata = new Automata(automataCache);
    Query user = parse(text, automata);
    return new Compiled(user, text, automata);
  }

  /**
   * Levenshtein automata of the words of one query, each compiled once (an edit-distance-2
   * automaton costs milliseconds) and kept in a bounded least-recently-used cache.
   */
  private record Automata(Map<String, CompiledAutomaton> cache) {
    CompiledAutomaton of(String text, int edits) {
      String key = edits + ":" + text;
      CompiledAutomaton known = cache.get(key);
      if (known != null) {
        return known;
      }
      CompiledAutomaton compiled = FuzzyQuery.getFuzzyAutomaton(text, edits, 0, true);
      cache.put(key, compiled);
      return compiled;
    }
  }

  private Query parse(String text, Automata automata) throws InvalidQueryException {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return MatchAllDocsQuery.INSTANCE;
    }
    if (trimmed.length() > MAX_LENGTH) {
      throw new InvalidQueryException(
          "query is "
              + trimmed.length()
              + " characters long, at most "
              + MAX_LENGTH
              + " are allowed");
    }
    long words = WORD.matcher(trimmed).results().count();
    if (words > MAX_WORDS) {
      throw new InvalidQueryException(
          "query has " + words + " words, at most " + MAX_WORDS + " are allowed");
    }
    Query parsed;
    try {
      parsed = requiredWordsByBestField(new CatalogQueryParser(BOOSTS, analyzer).parse(trimmed));
    } catch (ParseException e) {
      throw invalid(trimmed, e);
    } catch (CatalogQueryParser.Refused e) {
      throw new InvalidQueryException(e.getMessage());
    } catch (TooComplexToDeterminizeException e) {
      throw new InvalidQueryException(
          "query is too complex: a pattern in it needs too many automaton states");
    } catch (IllegalArgumentException e) {
      // e.g. an invalid /regular expression/
      throw new InvalidQueryException("cannot parse query: " + e.getMessage());
    }
    Query user = withFuzzyTerms(parsed, automata, fuzzyExpansions(parsed));
    long clauses = clauses(user);
    if (clauses > MAX_CLAUSES) {
      throw new InvalidQueryException(
          "query expands to "
              + clauses
              + " clauses (each word once per searchable field, "
              + "a fuzzy or pattern word once per term it may match), at most "
              + MAX_CLAUSES
              + " are allowed");
    }
    return user;
  }

  /**
   * Terms each plain word on a name field expands to: {@value #FUZZY_EXPANSIONS}, fewer when a long
   * query would otherwise exceed {@link #MAX_CLAUSES} (at least one, then the query is refused).
   */
  private static int fuzzyExpansions(Query parsed) {
    long words = fuzzyWords(parsed);
    if (words == 0) {
      return FUZZY_EXPANSIONS;
    }
    long room = (MAX_CLAUSES - clauses(parsed)) / words;
    return (int) Math.max(1, Math.min(FUZZY_EXPANSIONS, room));
  }

  /**
   * An upper bound of the clauses Lucene counts against {@link IndexSearcher#getMaxClauseCount()}
   * once {@code query} is rewritten: one per term of a term or phrase query, the most terms a
   * top-terms rewrite keeps for a fuzzy word, one for a constant-score pattern.
   */
  static long clauses(Query query) {
    long[] count = {0};
    query.visit(
        new QueryVisitor() {
          @Override
          public void consumeTerms(Query leaf, Term... terms) {
            count[0] += terms.length;
          }

          @Override
          public void consumeTermsMatching(
              Query leaf, String field, Supplier<ByteRunAutomaton> automaton) {
            count[0] +=
                leaf instanceof MultiTermQuery multi
                        && multi.getRewriteMethod() instanceof TopTermsRewrite<?> top
                    ? top.getSize()
                    : 1;
          }

          @Override
          public void visitLeaf(Query leaf) {
            count[0]++;
          }

          @Override
          public QueryVisitor getSubVisitor(Occur occur, Query parent) {
            return this; // MUST_NOT clauses count too
          }
        });
    return count[0];
  }

  /** Words {@link #withFuzzyTerms} gives an edit-distance alternative. */
  private static long fuzzyWords(Query query) {
    long[] words = {0};
    query.visit(
        new QueryVisitor() {
          @Override
          public void consumeTerms(Query leaf, Term... terms) {
            if (leaf instanceof TermQuery term
                && FUZZY_FIELDS.contains(term.getTerm().field())
                && editsFor(term.getTerm().text()) > 0) {
              words[0]++;
            }
          }

          @Override
          public QueryVisitor getSubVisitor(Occur occur, Query parent) {
            return this;
          }
        });
    return words[0];
  }

  /** The query to run: {@code userQuery} plus the exact-name tiers when {@code text} is a name. */
  private static Query withExactNameTiers(String text, Query userQuery, Automata automata) {
    String name = text.strip();
    boolean quoted = name.length() > 2 && name.startsWith("\"") && name.endsWith("\"");
    if (quoted) {
      name = name.substring(1, name.length() - 1);
    }
    if (!NAME_LIKE.matcher(name).matches() || (!quoted && OPERATOR.matcher(name).find())) {
      return userQuery;
    }
    String key = CatalogFields.normalize(name);
    if (key.isEmpty()) {
      return userQuery;
    }
    String singular = CatalogFields.singular(key);
    return new BooleanQuery.Builder()
        .add(userQuery, Occur.SHOULD)
        .add(tier(CatalogFields.EXACT_DATASET, key, 4), Occur.SHOULD)
        .add(tier(CatalogFields.EXACT_FIELD, key, 3), Occur.SHOULD)
        .add(tier(CatalogFields.STEM_DATASET, singular, 2), Occur.SHOULD)
        .add(tier(CatalogFields.STEM_FIELD, singular, 1), Occur.SHOULD)
        .add(fuzzyTier(CatalogFields.EXACT_DATASET, key, 0.5f, automata), Occur.SHOULD)
        .add(fuzzyTier(CatalogFields.EXACT_FIELD, key, 0.25f, automata), Occur.SHOULD)
        .build();
  }

  /**
   * Whole names within the edit distance of the key, scoring up to {@code level} tiers: names one
   * edit away get all of it, names two edits away less.
   */
  private static Query fuzzyTier(String field, String key, float level, Automata automata) {
    int edits = editsFor(key);
    if (edits == 0) {
      return MatchNoDocsQuery.INSTANCE;
    }
    BooleanQuery.Builder tier = new BooleanQuery.Builder();
    for (int distance = 1; distance <= edits; distance++) {
      SharedAutomatonQuery names =
          new SharedAutomatonQuery(
              field,
              key + "~" + distance,
              automata.of(key, distance),
              MultiTermQuery.CONSTANT_SCORE_BLENDED_REWRITE);
      tier.add(NameTier.within(names, level * TIER / edits), Occur.SHOULD);
    }
    return tier.build();
  }

  private static Query tier(String field, String key, int level) {
    return NameTier.exact(new Term(field, key), level * TIER);
  }

  /**
   * Makes each required word (or phrase) of the query score by the field it matches best, plus
   * {@value #REQUIRED_TIE_BREAKER} of its score in the other fields, instead of the sum over all
   * fields. Every hit of a conjunction matches each of its words somewhere; what sets hits apart is
   * where. It also keeps the conjunction's score bounds tight: summed, a word's bound included a
   * rare word's high weight in a boosted field (a tag, say) wherever that field held it at all, so
   * Lucene could skip almost none of a broad conjunction's hits while collecting the best ones.
   * Optional words keep summing, where Lucene already skips clause by clause.
   */
  private static Query requiredWordsByBestField(Query query) {
    if (!(query instanceof BooleanQuery bool)) {
      return query;
    }
    BooleanQuery.Builder builder =
        new BooleanQuery.Builder().setMinimumNumberShouldMatch(bool.getMinimumNumberShouldMatch());
    for (BooleanClause clause : bool.clauses()) {
      Query sub = clause.query();
      if (clause.occur() == Occur.MUST
          && sub instanceof BooleanQuery fields
          && isFieldAlternatives(fields)) {
        sub =
            new DisjunctionMaxQuery(
                fields.clauses().stream().map(BooleanClause::query).toList(), REQUIRED_TIE_BREAKER);
      } else {
        sub = requiredWordsByBestField(sub);
      }
      builder.add(sub, clause.occur());
    }
    return builder.build();
  }

  /** Whether {@code query} is one word's (or phrase's) alternatives over several fields. */
  private static boolean isFieldAlternatives(BooleanQuery query) {
    return query.clauses().size() > 1
        && query.getMinimumNumberShouldMatch() == 0
        && query.clauses().stream()
            .allMatch(
                c -> c.occur() == Occur.SHOULD && !(unboosted(c.query()) instanceof BooleanQuery));
  }

  private static Query unboosted(Query query) {
    return query instanceof BoostQuery boost ? unboosted(boost.getQuery()) : query;
  }

  /** Adds an edit-distance alternative to every plain word on an identifier field. */
  private static Query withFuzzyTerms(Query query, Automata automata, int expansions) {
    return switch (query) {
      case BooleanQuery bool -> {
        BooleanQuery.Builder builder =
            new BooleanQuery.Builder()
                .setMinimumNumberShouldMatch(bool.getMinimumNumberShouldMatch());
        for (BooleanClause clause : bool.clauses()) {
          builder.add(withFuzzyTerms(clause.query(), automata, expansions), clause.occur());
        }
        yield builder.build();
      }
      case BoostQuery boost ->
          new BoostQuery(withFuzzyTerms(boost.getQuery(), automata, expansions), boost.getBoost());
      case DisjunctionMaxQuery dismax -> {
        List<Query> disjuncts = new ArrayList<>();
        dismax.getDisjuncts().forEach(d -> disjuncts.add(withFuzzyTerms(d, automata, expansions)));
        yield new DisjunctionMaxQuery(disjuncts, dismax.getTieBreakerMultiplier());
      }
      case TermQuery term
          when FUZZY_FIELDS.contains(term.getTerm().field())
              && editsFor(term.getTerm().text()) > 0 -> {
        String word = term.getTerm().text();
        int edits = editsFor(word);
        Query similar =
            new SharedAutomatonQuery(
                term.getTerm().field(),
                word + "~" + edits,
                automata.of(word, edits),
                new MultiTermQuery.TopTermsBlendedFreqScoringRewrite(expansions));
        yield new BooleanQuery.Builder()
            .add(term, Occur.SHOULD)
            .add(new BoostQuery(similar, FUZZY_WEIGHT), Occur.SHOULD)
            .build();
      }
      default -> query;
    };
  }

  /**
   * Edits a word of this length may be away: two edits from a five-letter word reach too many other
   * words ({@code order} found {@code owner} and {@code older}), which cost precision and, as every
   * expansion is one more clause, time.
   */
  private static int editsFor(String text) {
    int length = text.codePointCount(0, text.length());
    if (length >= 6) {
      return 2;
    }
    return length >= 3 ? 1 : 0;
  }

  /** A syntax error as a message naming what was found where, and what was expected. */
  private static InvalidQueryException invalid(String text, ParseException wrapped) {
    Throwable cause = wrapped.getCause() == null ? wrapped : wrapped.getCause();
    if (cause instanceof ParseException syntax
        && syntax.currentToken != null
        && syntax.currentToken.next != null) {
      Token found = syntax.currentToken.next;
      int column = found.beginColumn + 1;
      String what = found.kind == 0 ? "end of query" : "'" + found.image + "'";
      return new InvalidQueryException(
          "cannot parse query at column " + column + ": unexpected " + what + expectation(syntax),
          column);
    }
    if (cause instanceof TokenMgrError lexical) {
      Matcher column = LEXICAL_COLUMN.matcher(lexical.getMessage());
      int at = column.find() ? Integer.parseInt(column.group(1)) : -1;
      String problem =
          text.chars().filter(c -> c == '"').count() % 2 == 1
              ? "unterminated quoted phrase"
              : "unexpected character";
      return new InvalidQueryException("cannot parse query at column " + at + ": " + problem, at);
    }
    String message = cause.getMessage() == null ? wrapped.getMessage() : cause.getMessage();
    if (message.contains("not allowed as first character")) {
      return new InvalidQueryException(
          "cannot parse query: a word may not start with * or ? (leading wildcards are not"
              + " supported)");
    }
    return new InvalidQueryException("cannot parse query: " + message);
  }

  private static String expectation(ParseException syntax) {
    if (syntax.expectedTokenSequences == null || syntax.tokenImage == null) {
      return "";
    }
    Map<String, Boolean> expected = new LinkedHashMap<>();
    for (int[] sequence : syntax.expectedTokenSequences) {
      if (sequence.length > 0) {
        expected.put(describe(syntax.tokenImage[sequence[0]]), true);
      }
    }
    if (expected.isEmpty() || expected.size() > 6) {
      return "";
    }
    return ", expected " + String.join(" or ", expected.keySet());
  }

  private static String describe(String tokenImage) {
    return switch (tokenImage) {
      case "<TERM>", "<PREFIXTERM>", "<WILDTERM>", "<REGEXPTERM>" -> "a word";
      case "<QUOTED>" -> "a \"phrase\"";
      case "<NUMBER>" -> "a number";
      case "<EOF>" -> "end of query";
      case "<RANGE_GOOP>", "<RANGE_QUOTED>" -> "a range bound";
      default -> tokenImage;
    };
  }

  private static Map<String, Float> boosts() {
    Map<String, Float> boosts = new LinkedHashMap<>();
    boosts.put(CatalogFields.NAME, 4f);
    boosts.put(CatalogFields.FIELD_NAMES, 1.5f);
    boosts.put(CatalogFields.DATASET_NAME, 1f);
    boosts.put(CatalogFields.DESCRIPTION, 1f);
    boosts.put(CatalogFields.TAGS, 2f);
    boosts.put(CatalogFields.CLASSIFICATIONS, 2f);
    boosts.put(CatalogFields.OWNER, 1f);
    boosts.put(CatalogFields.DOMAIN, 1f);
    boosts.put(CatalogFields.DATA_TYPE, 0.5f);
    return boosts;
  }
}
