package io.meshgate.gateway;

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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar gateway.jar --supergraph FILE [--port N] [--host H]}: the standalone gateway.
 * Listens on 127.0.0.1 unless told otherwise, and stops cleanly on SIGTERM.
 */
public final class GatewayMain {

  private GatewayMain() {}

  static final String USAGE = """
      usage: java -jar gateway.jar --supergraph FILE [options]
             java -jar gateway.jar --subgraph NAME=URL [--subgraph NAME=URL ...] [options]
        --supergraph FILE          a supergraph SDL (join spec v0.1 to v0.5)
        --subgraph NAME=URL        a subgraph to compose (repeatable)
        --port N                   port to listen on (default 4000; 0 = any free port)
        --host HOST                address to listen on (default 127.0.0.1)
        --subgraph-timeout MS      timeout of one subgraph request (default 30000);
                                   NAME=MS sets one subgraph's timeout (repeatable)
        --dedupe-inflight          share one subgraph request among identical in-flight queries
        --max-depth N              deepest selection nesting accepted (default 64)
        --max-aliases N            most aliases in one operation (default 1000)
        --max-selections N         most field selections in one operation with its fragments
                                   expanded (default 20000)
        --poll-interval MS         how often subgraph SDLs are checked for changes (default 10000)
        --request-timeout MS       deadline of a whole request, planning and fetches (default 30000)
        --max-subgraph-response-bytes N
                                   largest response read from one subgraph request (default 16777216)
        --max-concurrent-requests N
                                   requests served at once; more get 503 + Retry-After (default 256)
        --expose-query-plans       answer query plans to clients that ask (X-Meshgate-Query-Plan)
        --allowed-origins LIST     comma-separated browser origins besides the gateway's own that
                                   may call it (* for any)
        --allowed-hosts LIST       comma-separated Host names the gateway answers to (required
                                   in practice when --host is not a loopback address)""";

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
          System.out.println(USAGE);
          return;
        }
        case Serve given -> serve = given;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("gateway: " + e.getMessage());
      if (e instanceof UsageException) {
        System.err.println(USAGE);
      }
      System.exit(2);
      return;
    }
    GatewayServer server;
    SubgraphWatcher watcher = null;
    try {
      if (serve.supergraph() != null) {
        Gateway gateway = load(serve.supergraph(), serve.gatewayOptions());
        server = GatewayServer.start(serve.host(), serve.port(), new AtomicReference<>(gateway), serve.serverOptions());
      } else {
        Map<String, String> sdls =
            SubgraphIntrospection.fetchSdls(serve.subgraphs(), serve.gatewayOptions().subgraphTimeout());
        Gateway gateway =
            Gateway.fromSupergraph(SubgraphIntrospection.compose(sdls, serve.subgraphs()), serve.gatewayOptions());
        server = GatewayServer.start(serve.host(), serve.port(), new AtomicReference<>(gateway), serve.serverOptions());
        watcher = new SubgraphWatcher(serve.subgraphs(), sdls, serve.gatewayOptions(), server, serve.pollInterval());
      }
    } catch (IllegalArgumentException | SupergraphException | CompositionException | IOException e) {
      System.err.println("gateway: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    GatewayServer running = server;
    SubgraphWatcher runningWatcher = watcher;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (runningWatcher != null) {
        runningWatcher.close();
      }
      running.close();
      stopped.countDown();
    }, "gateway-shutdown"));
    System.out.printf("gateway ready in %d ms: %s/graphql (GraphiQL at %s/graphiql)%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis(), server.url(), server.url());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What a command line asks of the gateway. */
  sealed interface Command permits Help, Serve {}

  /** {@code --help}: print the usage and nothing else. */
  record Help() implements Command {}

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
  record Serve(@Nullable String supergraph, Map<String, URI> subgraphs, String host, int port,
      GatewayOptions gatewayOptions, ServerOptions serverOptions, Duration pollInterval) implements Command {}

  /** A command line that is not understood (unknown option, missing value, neither source): shown with the usage. */
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
  static Command read(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    Map<String, URI> subgraphs = new LinkedHashMap<>();
    try {
      parse(args, options, subgraphs);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (options.containsKey("help")) {
      return new Help();
    }
    return new Serve(options.get("supergraph"), Collections.unmodifiableMap(subgraphs),
        options.getOrDefault("host", "127.0.0.1"), port(options.getOrDefault("port", "4000")),
        gatewayOptions(options), serverOptions(options), Duration.ofMillis(positive(options, "poll-interval", 10_000)));
  }

  private static void parse(String[] args, Map<String, String> options, Map<String, URI> subgraphs) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        options.put("help", "true");
        continue;
      }
      if (arg.equals("--dedupe-inflight") || arg.equals("--expose-query-plans")) {
        options.put(arg.substring(2), "true");
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "subgraph-timeout" -> {
          int sep = value.indexOf('=');
          if (sep > 0) {
            options.put("subgraph-timeout." + value.substring(0, sep), value.substring(sep + 1));
          } else {
            options.put(name, value);
          }
        }
        case "supergraph", "port", "host", "max-depth", "max-aliases", "max-selections", "poll-interval",
            "request-timeout", "max-subgraph-response-bytes", "max-concurrent-requests", "allowed-origins",
            "allowed-hosts" -> options.put(name, value);
        case "subgraph" -> {
          int sep = value.indexOf('=');
          if (sep <= 0) {
            throw new IllegalArgumentException("--subgraph takes NAME=URL (got '" + value + "')");
          }
          try {
            subgraphs.put(value.substring(0, sep), URI.create(value.substring(sep + 1)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--subgraph " + value.substring(0, sep) + " has an invalid URL");
          }
        }
        default -> throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    if (!options.containsKey("help") && options.containsKey("supergraph") == !subgraphs.isEmpty()) {
      throw new IllegalArgumentException("give either --supergraph FILE or one or more --subgraph NAME=URL");
    }
  }

  private static GatewayOptions gatewayOptions(Map<String, String> options) {
    GatewayOptions defaults = GatewayOptions.defaults();
    Map<String, Duration> perSubgraph = new LinkedHashMap<>();
    for (String key : options.keySet()) {
      if (key.startsWith("subgraph-timeout.")) {
        perSubgraph.put(key.substring("subgraph-timeout.".length()), Duration.ofMillis(positive(options, key, 1)));
      }
    }
    return new GatewayOptions(
        Duration.ofMillis(positive(options, "subgraph-timeout", defaults.subgraphTimeout().toMillis())),
        perSubgraph,
        (int) positive(options, "max-depth", defaults.maxDepth()),
        (int) positive(options, "max-aliases", defaults.maxAliases()),
        (int) positive(options, "max-selections", defaults.maxSelections()),
        defaults.maxQueryBytes(),
        defaults.planCacheSize(),
        options.containsKey("dedupe-inflight"),
        Duration.ofMillis(positive(options, "request-timeout", defaults.requestTimeout().toMillis())),
        positive(options, "max-subgraph-response-bytes", defaults.maxSubgraphResponseBytes()));
  }

  private static ServerOptions serverOptions(Map<String, String> options) {
    return new ServerOptions(
        (int) Math.min(Integer.MAX_VALUE, positive(options, "max-concurrent-requests",
            ServerOptions.DEFAULT_MAX_CONCURRENT_REQUESTS)),
        options.containsKey("expose-query-plans"),
        list(options.get("allowed-origins")),
        list(options.get("allowed-hosts")),
        "");
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

  private static long positive(Map<String, String> options, String name, long fallback) {
    String value = options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value);
      if (parsed <= 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a positive number (got '" + value + "')");
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
      throw new IllegalArgumentException("--port must be between 0 and 65535 (got '" + value + "')");
    }
  }
}
