package io.meshgate.runtime.subgraph;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one request may ask of a subgraph ({@code meshgate.subgraph.*}). Subgraphs are reachable
 * directly, not only through the gateway, so each bounds its own work: the body it reads, the query
 * it parses, how many root fields, how deep and how costly the operation it runs may be, and how
 * long it may run.
 *
 * @param maxBodySize the largest request body read; a bigger one is refused with 413 before it is
 *     parsed. Large enough for a gateway's {@code _entities} call with several thousand
 *     representations (about 70 bytes each)
 * @param maxQueryCharacters the longest query text parsed
 * @param maxQueryTokens the most tokens a query may have (graphql-java's default)
 * @param maxDepth the deepest nesting of fields in an operation
 * @param maxCost the largest estimated cost of an operation (see {@link OperationCost})
 * @param assumedListSize how many items the cost estimate assumes for a list field without a {@code
 *     first} or {@code limit} argument
 * @param maxRootFields the most root fields (aliases included) an operation may select: each is
 *     resolved on its own, often with a query of its own. Above the gateway's 1,000 aliases, so
 *     what the gateway forwards (every aliased root field and each root field once more) passes
 * @param requestTimeout how long an operation may run; then it is stopped between two fields and
 *     answered {@code TIMEOUT}. Below the gateway's 30 s per subgraph fetch, so the gateway is told
 *     why rather than giving up first
 */
@ConfigurationProperties("meshgate.subgraph")
public record SubgraphLimits(
    @DefaultValue("512KB") DataSize maxBodySize,
    @DefaultValue("262144") int maxQueryCharacters,
    @DefaultValue("15000") int maxQueryTokens,
    @DefaultValue("32") int maxDepth,
    @DefaultValue("200000") long maxCost,
    @DefaultValue("10") int assumedListSize,
    @DefaultValue("1100") int maxRootFields,
    @DefaultValue("15s") Duration requestTimeout) {

  /** The limits every subgraph has unless configured otherwise. */
  public static final SubgraphLimits DEFAULTS =
      new SubgraphLimits(
          DataSize.ofKilobytes(512),
          262_144,
          15_000,
          32,
          200_000,
          10,
          1_100,
          Duration.ofSeconds(15));

  /**
   * How long a request waits for a free database connection before it is answered {@code
   * SERVICE_UNAVAILABLE}: a few seconds, not Hikari's 30, so a flood of requests gets a quick,
   * clear answer instead of piling up.
   */
  public static final String DATABASE_WAIT_MILLIS = "3000";

  public SubgraphLimits {
    positive("max-body-size", maxBodySize.toBytes());
    positive("max-query-characters", maxQueryCharacters);
    positive("max-query-tokens", maxQueryTokens);
    positive("max-depth", maxDepth);
    positive("max-cost", maxCost);
    positive("assumed-list-size", assumedListSize);
    positive("max-root-fields", maxRootFields);
    positive("request-timeout", requestTimeout.toMillis());
  }

  /**
   * The connection pool every subgraph with a database starts with ({@code
   * spring.datasource.hikari.*}, each can be overridden): 8 connections, and at most {@link
   * #DATABASE_WAIT_MILLIS} ms of waiting for one. The pool is named after the application ({@code
   * meshgate-sales-db}), and so are its housekeeping threads ({@code
   * meshgate-sales-db:housekeeper}), where Hikari would number them ({@code HikariPool-1}).
   */
  public static Map<String, Object> databasePoolProperties() {
    return Map.of(
        "spring.datasource.hikari.maximum-pool-size",
        "8",
        "spring.datasource.hikari.connection-timeout",
        DATABASE_WAIT_MILLIS,
        "spring.datasource.hikari.pool-name",
        "${spring.application.name:meshgate}-db");
  }

  private static void positive(String property, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "meshgate.subgraph." + property + " must be positive (got " + value + ")");
    }
  }
}
