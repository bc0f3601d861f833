package io.meshgate.gateway;

import io.meshgate.gateway.auth.Authentication;
import io.meshgate.gateway.auth.TokenAuthenticator;
import io.meshgate.gateway.compose.CompositionException;
import io.meshgate.gateway.compose.SubgraphIntrospection;
import io.meshgate.gateway.server.GatewayServer;
import io.meshgate.gateway.server.ServerOptions;
import io.meshgate.gateway.supergraph.SupergraphException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code java -jar gateway.jar --supergraph FILE [--port N] [--host H]}: the standalone gateway.
 * Listens on 127.0.0.1 unless told otherwise, and stops cleanly on SIGTERM.
 */
public final class GatewayMain {

  private GatewayMain() {}

  /**
   * The command line as picocli reads it. Values stay text here; {@link #read} checks them, so
   * every message names the option the way the usage does.
   */
  @Command(
      name = "gateway.jar",
      synopsisHeading = "usage: ",
      customSynopsis = {
        "java -jar gateway.jar --supergraph FILE [options]",
        "       java -jar gateway.jar --subgraph NAME=URL [--subgraph ...] [options]"
      },
      optionListHeading = "%noptions:%n",
      sortOptions = false)
  static final class Arguments {
    @Option(
        names = "--supergraph",
        paramLabel = "FILE",
        description = "a supergraph SDL (join spec v0.1 to v0.5)")
    @Nullable String supergraph;

    @Option(
        names = "--subgraph",
        paramLabel = "NAME=URL",
        description = "a subgraph to compose (repeatable)")
    List<String> subgraphs = new ArrayList<>();

    @Option(
        names = "--port",
        paramLabel = "N",
        description = "port to listen on (default 4000; 0 = any free port)")
    String port = "4000";

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description = "address to listen on (default 127.0.0.1)")
    String host = "127.0.0.1";

    @Option(
        names = "--subgraph-timeout",
        paramLabel = "MS",
        description =
            "timeout of one subgraph request (default 30000); NAME=MS sets one subgraph's timeout"
                + " (repeatable)")
    List<String> subgraphTimeouts = new ArrayList<>();

    @Option(
        names = "--dedupe-inflight",
        description = "share one subgraph request among identical in-flight queries")
    boolean dedupeInflight;

    @Option(
        names = "--max-depth",
        paramLabel = "N",
        description = "deepest selection nesting accepted (default 64)")
    @Nullable String maxDepth;

    @Option(
        names = "--max-aliases",
        paramLabel = "N",
        description = "most aliases in one operation (default 1000)")
    @Nullable String maxAliases;

    @Option(
        names = "--max-selections",
        paramLabel = "N",
        description =
            "most field selections in one operation with its fragments expanded (default 20000)")
    @Nullable String maxSelections;

    @Option(
        names = "--poll-interval",
        paramLabel = "MS",
        description = "how often subgraph SDLs are checked for changes (default 10000)")
    @Nullable String pollInterval;

    @Option(
        names = "--request-timeout",
        paramLabel = "MS",
        description = "deadline of a whole request, planning and fetches (default 30000)")
    @Nullable String requestTimeout;

    @Option(
        names = "--max-subgraph-response-bytes",
        paramLabel = "N",
        description = "largest response read from one subgraph request (default 16777216)")
    @Nullable String maxSubgraphResponseBytes;

    @Option(
        names = "--max-concurrent-requests",
        paramLabel = "N",
        description = "requests served at once; more get 503 + Retry-After (default 256)")
    @Nullable String maxConcurrentRequests;

    @Option(
        names = "--expose-query-plans",
        description = "answer query plans to clients that ask (X-Meshgate-Query-Plan)")
    boolean exposeQueryPlans;

    @Option(
        names = "--allowed-origins",
        paramLabel = "LIST",
        description =
            "comma-separated browser origins besides the gateway's own that may call it (* for"
                + " any)")
    @Nullable String allowedOrigins;

    @Option(
        names = "--allowed-hosts",
        paramLabel = "LIST",
        description =
            "comma-separated Host names the gateway answers to (required in practice when --host is"
                + " not a loopback address)")
    @Nullable String allowedHosts;

    @Option(
        names = "--jwks-file",
        paramLabel = "FILE",
        description =
            "verify bearer tokens (JWT) with the keys of this JWKS file, read again when it"
                + " changes")
    @Nullable String jwksFile;

    @Option(
        names = "--jwks-url",
        paramLabel = "URL",
        description =
            "verify bearer tokens with the keys at this JWKS URL, fetched again regularly")
    @Nullable String jwksUrl;

    @Option(
        names = "--jwks-refresh",
        paramLabel = "S",
        description = "seconds between two fetches of --jwks-url (default 300)")
    @Nullable String jwksRefresh;

    @Option(
        names = "--jwt-issuers",
        paramLabel = "LIST",
        description = "comma-separated accepted token issuers (iss); default any")
    @Nullable String issuers;

    @Option(
        names = "--jwt-audiences",
        paramLabel = "LIST",
        description = "comma-separated accepted token audiences (aud); default any")
    @Nullable String audiences;

    @Option(
        names = "--jwt-algorithms",
        paramLabel = "LIST",
        description =
            "comma-separated accepted signature algorithms (default RS256, RS384, RS512, PS256,"
                + " ES256, ES384, EdDSA, Ed25519)")
    @Nullable String algorithms;

    @Option(
        names = "--scope-claims",
        paramLabel = "LIST",
        description =
            "comma-separated claims the scopes are read from: a space-separated string or an"
                + " array; a dotted name reads a nested claim (default scope,scp)")
    @Nullable String scopeClaims;

    @Option(
        names = "--jwt-clock-skew",
        paramLabel = "S",
        description = "seconds a token's exp and nbf may be off (default 60)")
    @Nullable String clockSkew;

    @Option(
        names = "--reject-unauthorized",
        description =
            "refuse a whole request that selects a field or type its caller may not read (by"
                + " default those are answered null with an error and the rest is served)")
    boolean rejectUnauthorized;

    @Option(
        names = "--require-authentication",
        description =
            "refuse requests without a bearer token with 401 (by default they run as the"
                + " anonymous caller)")
    boolean requireAuthentication;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help and exit")
    boolean help;
  }

  /** The usage, generated from {@link Arguments}. */
  static String usage() {
    return commandLine(new Arguments()).getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
  }

  public static void main(String[] args) {
    long start = System.nanoTime();
    // The gateway's logging configuration has a name of its own, so that a program embedding the
    // gateway keeps its own logback.xml as the only one on its classpath.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "meshgate-gateway-logback.xml");
    }
    Serve serve;
    try {
      switch (read(args)) {
        case Help help -> {
          System.out.println(usage());
          return;
        }
        case Serve given -> serve = given;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("gateway: " + e.getMessage());
      if (e instanceof UsageException) {
        System.err.println(usage());
      }
      System.exit(2);
      return;
    }
    GatewayServer server;
    SubgraphWatcher watcher = null;
    try {
      if (serve.supergraph() != null) {
        Gateway gateway = load(serve.supergraph(), serve.gatewayOptions());
        server =
            GatewayServer.start(
                serve.host(), serve.port(), new AtomicReference<>(gateway), serve.serverOptions());
      } else {
        Map<String, String> sdls =
            SubgraphIntrospection.fetchSdls(
                serve.subgraphs(), serve.gatewayOptions().subgraphTimeout());
        Gateway gateway =
            Gateway.fromSupergraph(
                SubgraphIntrospection.compose(sdls, serve.subgraphs()), serve.gatewayOptions());
        server =
            GatewayServer.start(
                serve.host(), serve.port(), new AtomicReference<>(gateway), serve.serverOptions());
        watcher =
            new SubgraphWatcher(
                serve.subgraphs(), sdls, serve.gatewayOptions(), server, serve.pollInterval());
      }
    } catch (IllegalArgumentException
        | SupergraphException
        | CompositionException
        | IOException e) {
      System.err.println("gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    GatewayServer running = server;
    SubgraphWatcher runningWatcher = watcher;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (runningWatcher != null) {
                    runningWatcher.close();
                  }
                  running.close();
                  stopped.countDown();
                },
                "gateway-shutdown"));
    System.out.printf(
        "gateway ready in %d ms: %s/graphql (GraphiQL at %s/graphiql)%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis(), server.url(), server.url());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a command line asks of the gateway. */
  sealed interface Invocation permits Help, Serve {}

  /** {@code --help}: print the usage and nothing else. */
  record Help() implements Invocation {}

  /**
   * Serve one supergraph.
   *
   * @param supergraph a supergraph SDL file; null composes {@code subgraphs} instead
   * @param subgraphs the subgraphs to compose and watch, in the order given
   * @param host the address to listen on
   * @param port the port to listen on (0 = any free port)
   * @param gatewayOptions the gateway's limits and switches
   * @param serverOptions what the HTTP server admits
   * @param pollInterval how often the subgraphs' SDLs are checked for changes
   */
  record Serve(
      @Nullable String supergraph,
      Map<String, URI> subgraphs,
      String host,
      int port,
      GatewayOptions gatewayOptions,
      ServerOptions serverOptions,
      Duration pollInterval)
      implements Invocation {}

  /**
   * A command line that is not understood (unknown option, missing value, neither source): shown
   * with the usage.
   */
  static final class UsageException extends IllegalArgumentException {
    UsageException(String message) {
      super(message);
    }
  }

  /**
   * Reads a command line.
   *
   * @throws UsageException when it is not understood
   * @throws IllegalArgumentException naming the option whose value is wrong
   */
  static Invocation read(String[] args) {
    Arguments given = new Arguments();
    CommandLine commandLine = commandLine(given);
    try {
      commandLine.parseArgs(args);
    } catch (UnmatchedArgumentException e) {
      String unmatched =
          e.getUnmatched().isEmpty() ? String.join(" ", args) : e.getUnmatched().getFirst();
      if (!unmatched.startsWith("-")) {
        throw new UsageException("unexpected argument '" + unmatched + "'");
      }
      int eq = unmatched.indexOf('=');
      throw new UsageException(
          "unknown option "
              + (eq > 0 ? unmatched.substring(0, eq) : unmatched)
              + (e.getSuggestions().isEmpty()
                  ? ""
                  : "\ndid you mean " + String.join(" or ", e.getSuggestions()) + "?"));
    } catch (MissingParameterException e) {
      throw new UsageException(
          e.getMissing().stream()
                  .map(
                      arg ->
                          arg instanceof OptionSpec option
                              ? option.longestName()
                              : arg.paramLabel())
                  .collect(Collectors.joining(", "))
              + " needs a value");
    } catch (ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    if (given.help) {
      return new Help();
    }
    Map<String, URI> subgraphs = subgraphs(given.subgraphs);
    if ((given.supergraph != null) == !subgraphs.isEmpty()) {
      throw new UsageException("give either --supergraph FILE or one or more --subgraph NAME=URL");
    }
    return new Serve(
        given.supergraph,
        subgraphs,
        given.host,
        port(given.port),
        gatewayOptions(given),
        serverOptions(given),
        Duration.ofMillis(positive("--poll-interval", given.pollInterval, 10_000)));
  }

  private static CommandLine commandLine(Arguments arguments) {
    CommandLine commandLine = new CommandLine(arguments);
    // As before picocli: the last of a repeated option wins, and an option's value is the next
    // argument whatever it looks like.
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setAllowOptionsAsOptionParameters(true);
    return commandLine;
  }

  private static Map<String, URI> subgraphs(List<String> given) {
    Map<String, URI> subgraphs = new LinkedHashMap<>();
    for (String value : given) {
      int sep = value.indexOf('=');
      if (sep <= 0) {
        throw new UsageException("--subgraph takes NAME=URL (got '" + value + "')");
      }
      try {
        subgraphs.put(value.substring(0, sep), URI.create(value.substring(sep + 1)));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--subgraph " + value.substring(0, sep) + " has an invalid URL");
      }
    }
    return Collections.unmodifiableMap(subgraphs);
  }

  private static GatewayOptions gatewayOptions(Arguments given) {
    GatewayOptions defaults = GatewayOptions.defaults();
    long subgraphTimeout = defaults.subgraphTimeout().toMillis();
    Map<String, Duration> perSubgraph = new LinkedHashMap<>();
    for (String value : given.subgraphTimeouts) {
      int sep = value.indexOf('=');
      if (sep > 0) {
        String name = value.substring(0, sep);
        perSubgraph.put(
            name,
            Duration.ofMillis(positive("--subgraph-timeout " + name, value.substring(sep + 1), 1)));
      } else {
        subgraphTimeout = positive("--subgraph-timeout", value, 1);
      }
    }
    return new GatewayOptions(
        Duration.ofMillis(subgraphTimeout),
        perSubgraph,
        (int) positive("--max-depth", given.maxDepth, defaults.maxDepth()),
        (int) positive("--max-aliases", given.maxAliases, defaults.maxAliases()),
        (int) positive("--max-selections", given.maxSelections, defaults.maxSelections()),
        defaults.maxQueryBytes(),
        defaults.planCacheSize(),
        given.dedupeInflight,
        Duration.ofMillis(
            positive(
                "--request-timeout", given.requestTimeout, defaults.requestTimeout().toMillis())),
        positive(
            "--max-subgraph-response-bytes",
            given.maxSubgraphResponseBytes,
            defaults.maxSubgraphResponseBytes()),
        given.rejectUnauthorized);
  }

  private static ServerOptions serverOptions(Arguments given) {
    return new ServerOptions(
        (int)
            Math.min(
                Integer.MAX_VALUE,
                positive(
                    "--max-concurrent-requests",
                    given.maxConcurrentRequests,
                    ServerOptions.DEFAULT_MAX_CONCURRENT_REQUESTS)),
        given.exposeQueryPlans,
        list(given.allowedOrigins),
        list(given.allowedHosts),
        "",
        authentication(given));
  }

  /** The authentication the options ask for, or null when no key set is given. */
  private static @Nullable Authentication authentication(Arguments given) {
    boolean tokenOptions =
        given.jwksRefresh != null
            || given.issuers != null
            || given.audiences != null
            || given.algorithms != null
            || given.scopeClaims != null
            || given.clockSkew != null
            || given.requireAuthentication;
    if (given.jwksFile == null && given.jwksUrl == null) {
      if (tokenOptions) {
        throw new IllegalArgumentException(
            "token options need the keys to verify tokens with: give --jwks-file or --jwks-url");
      }
      return null;
    }
    if (given.jwksFile != null && given.jwksUrl != null) {
      throw new IllegalArgumentException("give --jwks-file or --jwks-url, not both");
    }
    TokenAuthenticator.Settings settings =
        TokenAuthenticator.Settings.defaults()
            .withIssuers(list(given.issuers))
            .withAudiences(list(given.audiences))
            .withClockSkew(Duration.ofSeconds(nonNegative("--jwt-clock-skew", given.clockSkew, 60)))
            .withAnonymous(!given.requireAuthentication);
    if (given.algorithms != null) {
      try {
        settings = settings.withAlgorithms(TokenAuthenticator.algorithms(list(given.algorithms)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--jwt-algorithms: " + e.getMessage());
      }
    }
    if (given.scopeClaims != null) {
      if (list(given.scopeClaims).isEmpty()) {
        throw new IllegalArgumentException("--scope-claims needs at least one claim name");
      }
      settings = settings.withScopeClaims(List.copyOf(list(given.scopeClaims)));
    }
    if (given.jwksFile != null) {
      if (given.jwksRefresh != null) {
        throw new IllegalArgumentException(
            "--jwks-refresh applies to --jwks-url; a --jwks-file is read again when it changes");
      }
      return Authentication.fromFile(Path.of(given.jwksFile), settings);
    }
    URI url;
    try {
      url = URI.create(given.jwksUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--jwks-url is not a URL (got '" + given.jwksUrl + "')");
    }
    if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
      throw new IllegalArgumentException(
          "--jwks-url must be an http(s) URL (got '" + given.jwksUrl + "')");
    }
    return Authentication.fromUrl(
        url, Duration.ofSeconds(positive("--jwks-refresh", given.jwksRefresh, 300)), settings);
  }

  private static Set<String> list(@Nullable String value) {
    Set<String> items = new LinkedHashSet<>();
    if (value != null) {
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    return items;
  }

  private static long positive(String option, @Nullable String value, long fallback) {
    return number(option, value, fallback, 1);
  }

  private static long nonNegative(String option, @Nullable String value, long fallback) {
    return number(option, value, fallback, 0);
  }

  /** The option's whole number, at least {@code least}; {@code fallback} when not given. */
  private static long number(String option, @Nullable String value, long fallback, long least) {
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed < least) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option
              + (least > 0 ? " must be a positive number" : " must be zero or a positive number")
              + " (got '"
              + value
              + "')");
    }
  }

  static Gateway load(String supergraphFile, GatewayOptions options) throws IOException {
    try {
      return Gateway.fromSupergraph(Files.readString(Path.of(supergraphFile)), options);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("supergraph file not found: " + supergraphFile);
    }
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--port must be between 0 and 65535 (got '" + value + "')");
    }
  }
}
