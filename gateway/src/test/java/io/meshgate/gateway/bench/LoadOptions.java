package io.meshgate.gateway.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What {@link GatewayLoadBenchmark} runs, from its command line.
 *
 * @param gatewayUrl an already running gateway's {@code /graphql} endpoint; null to start one from
 *     {@code gatewayJar}
 * @param gatewayPid the process of the running gateway at {@code gatewayUrl}, to measure its CPU;
 *     null if unknown
 * @param gatewayJar the standalone gateway jar (copied to a private folder before it is started)
 * @param gatewayJvmArgs JVM options of the started gateway, such as {@code -Xmx512m}
 * @param java the {@code java} launcher of the started gateway
 * @param client how the virtual users speak HTTP
 * @param virtualUsers concurrent users, each sending its next request as soon as the last one is
 *     answered
 * @param warmup load before the measured runs, not measured
 * @param duration length of each measured run
 * @param runs measured runs
 * @param progressInterval how often a run prints its progress
 * @param requestTimeout longest wait for one answer
 * @param subgraphsOnly only serve the subgraphs and write the supergraph, until interrupted
 * @param authenticated the started gateway requires a bearer token, and every request carries one
 */
record LoadOptions(
    @Nullable URI gatewayUrl,
    @Nullable Long gatewayPid,
    Path gatewayJar,
    List<String> gatewayJvmArgs,
    Path java,
    ClientKind client,
    int virtualUsers,
    Duration warmup,
    Duration duration,
    int runs,
    Duration progressInterval,
    Duration requestTimeout,
    boolean subgraphsOnly,
    boolean authenticated) {

  /** How the virtual users speak HTTP/1.1 (both keep their connection alive). */
  enum ClientKind {
    /** One blocking socket per user and a minimal HTTP/1.1 codec: the least load-generator CPU. */
    RAW,
    /**
     * {@link java.net.http.HttpClient}, one shared client with a connection per concurrent request.
     */
    JDK
  }

  static final String USAGE =
      """
      usage: GatewayLoadBenchmark [options]
        --gateway-jar FILE         standalone gateway to start (default gateway/target/gateway.jar; it is copied
                                   to a private temp folder first, so rebuilds cannot swap it mid-run)
        --gateway-jvm-args "ARGS"  JVM options of the started gateway, space-separated (e.g. "-Xmx1g -XX:+UseZGC")
        --java FILE                java launcher for the gateway (default: this JVM's)
        --gateway-url URL          load an already running gateway instead (loopback only), e.g.
                                   http://127.0.0.1:4000/graphql; no subgraphs are started then
        --gateway-pid PID          with --gateway-url: the gateway's process, to report its CPU and memory
        --subgraphs-only           only serve the four subgraphs and write the supergraph file, until Ctrl-C
        --authenticated            the gateway requires a bearer token (ES256, from a JWKS file) and every
                                   request sends one, to measure what authentication costs
        --client raw|jdk           HTTP client of the virtual users (default raw: blocking sockets, HTTP/1.1)
        --vus N                    virtual users, closed loop (default 50)
        --warmup DURATION          unmeasured load first (default 10s; 0 for none)
        --duration DURATION        length of each measured run (default 60s)
        --runs N                   measured runs (default 3)
        --progress DURATION        progress line interval (default 10s)
        --request-timeout DURATION longest wait for one answer (default 30s)
      Durations: 500ms, 30s, 2m or plain seconds.\
      """;

  static LoadOptions parse(String[] args) {
    @Nullable URI gatewayUrl = null;
    @Nullable Long gatewayPid = null;
    Path gatewayJar = Path.of("gateway", "target", "gateway.jar");
    List<String> gatewayJvmArgs = List.of();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ClientKind client = ClientKind.RAW;
    int virtualUsers = 50;
    Duration warmup = Duration.ofSeconds(10);
    Duration duration = Duration.ofSeconds(60);
    int runs = 3;
    Duration progress = Duration.ofSeconds(10);
    Duration requestTimeout = Duration.ofSeconds(30);
    boolean subgraphsOnly = false;
    boolean authenticated = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--subgraphs-only")) {
        subgraphsOnly = true;
        continue;
      }
      if (name.equals("--authenticated")) {
        authenticated = true;
        continue;
      }
      if (name.equals("--help") || name.equals("-h")) {
        throw new IllegalArgumentException("");
      }
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(name + " needs a value");
      }
      switch (name) {
        case "--gateway-url" -> gatewayUrl = loopbackUrl(value);
        case "--gateway-pid" -> gatewayPid = (long) positive(name, value);
        case "--gateway-jar" -> gatewayJar = Path.of(value);
        case "--gateway-jvm-args" ->
            gatewayJvmArgs =
                Arrays.stream(value.trim().split("\\s+")).filter(arg -> !arg.isEmpty()).toList();
        case "--java" -> java = Path.of(value);
        case "--client" -> client = clientKind(value);
        case "--vus" -> virtualUsers = positive(name, value);
        case "--warmup" -> warmup = duration(name, value, true);
        case "--duration" -> duration = duration(name, value, false);
        case "--runs" -> runs = positive(name, value);
        case "--progress" -> progress = duration(name, value, false);
        case "--request-timeout" -> requestTimeout = duration(name, value, false);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (gatewayPid != null && gatewayUrl == null) {
      throw new IllegalArgumentException("--gateway-pid only goes with --gateway-url");
    }
    if (authenticated && gatewayUrl != null) {
      throw new IllegalArgumentException(
          "--authenticated configures the gateway it starts; drop --gateway-url");
    }
    if (subgraphsOnly && gatewayUrl != null) {
      throw new IllegalArgumentException("--subgraphs-only starts no load; drop --gateway-url");
    }
    return new LoadOptions(
        gatewayUrl,
        gatewayPid,
        gatewayJar,
        gatewayJvmArgs,
        java,
        client,
        virtualUsers,
        warmup,
        duration,
        runs,
        progress,
        requestTimeout,
        subgraphsOnly,
        authenticated);
  }

  /**
   * The benchmark only ever talks to this machine: a URL elsewhere is refused rather than loaded.
   */
  private static URI loopbackUrl(String value) {
    URI url;
    try {
      url = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--gateway-url is not a URL: " + value);
    }
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "--gateway-url must be http://HOST:PORT/PATH (got " + value + ")");
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
        if (!address.isLoopbackAddress()) {
          throw new IllegalArgumentException(
              "--gateway-url must point at this machine's loopback (got " + value + ")");
        }
      }
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--gateway-url has an unknown host: " + url.getHost());
    }
    return url.getPath() == null || url.getPath().isEmpty() ? url.resolve("/graphql") : url;
  }

  private static ClientKind clientKind(String value) {
    try {
      return ClientKind.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--client is raw or jdk (got " + value + ")");
    }
  }

  private static int positive(String name, String value) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive number (got " + value + ")");
  }

  static Duration duration(String name, String value, boolean zeroAllowed) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    Duration parsed;
    try {
      if (text.endsWith("ms")) {
        parsed = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      } else if (text.endsWith("s")) {
        parsed =
            Duration.ofMillis(
                Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
      } else if (text.endsWith("m")) {
        parsed = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
      } else {
        parsed = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " is not a duration (got " + value + "; e.g. 30s, 500ms, 2m)");
    }
    if (parsed.isNegative() || (parsed.isZero() && !zeroAllowed)) {
      throw new IllegalArgumentException(
          name + " must be " + (zeroAllowed ? "zero or more" : "positive"));
    }
    return parsed;
  }
}
