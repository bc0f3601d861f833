package io.meshgate.runtime.subgraph;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parses and validates each distinct query text once: the gateway sends a subgraph the same few
 * operations over and over with different variables, and parsing and validating them again was a
 * sixth of a subgraph request's CPU.
 *
 * <p>Only queries that parsed and validated cleanly are kept, so a refused query is refused the
 * same way (with its code from {@link OperationLimits}) every time it comes. The cache holds at
 * most {@code maxCharacters} of query text in all and no single query longer than {@code
 * maxQueryCharacters}: its size is bounded by the text a caller sends, however many distinct
 * queries a hostile caller makes up (they evict each other, not the operations in steady use).
 */
public final class ParsedOperationCache implements PreparsedDocumentProvider {

  /** Query text kept in all, by default: about a thousand typical gateway operations. */
  public static final long DEFAULT_MAX_CHARACTERS = 512 * 1024;

  /** The longest query kept, by default; longer ones are parsed every time. */
  public static final int DEFAULT_MAX_QUERY_CHARACTERS = 16 * 1024;

  private final Cache<String, PreparsedDocumentEntry> parsed;
  private final int maxQueryCharacters;

  public ParsedOperationCache() {
    this(DEFAULT_MAX_CHARACTERS, DEFAULT_MAX_QUERY_CHARACTERS);
  }

  /**
   * @param maxCharacters query text kept in all
   * @param maxQueryCharacters the longest query kept
   */
  public ParsedOperationCache(long maxCharacters, int maxQueryCharacters) {
    this.parsed =
        Caffeine.newBuilder()
            .maximumWeight(maxCharacters)
            .<String, PreparsedDocumentEntry>weigher((query, entry) -> query.length())
            .build();
    this.maxQueryCharacters = maxQueryCharacters;
  }

  @Override
  public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
      ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
    String query = input.getQuery();
    if (query.length() > maxQueryCharacters) {
      return CompletableFuture.completedFuture(parseAndValidate.apply(input));
    }
    PreparsedDocumentEntry cached = parsed.getIfPresent(query);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    PreparsedDocumentEntry entry = parseAndValidate.apply(input);
    if (!entry.hasErrors()) {
      parsed.put(query, entry);
    }
    return CompletableFuture.completedFuture(entry);
  }

  /** How many distinct queries are kept now (for tests and diagnostics). */
  long size() {
    parsed.cleanUp();
    return parsed.estimatedSize();
  }
}
