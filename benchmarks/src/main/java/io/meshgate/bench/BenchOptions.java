package io.meshgate.bench;

import static io.meshgate.bench.BenchCommandLine.atLeast;
import static io.meshgate.bench.BenchCommandLine.wholeNumber;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How the commit-to-visible benchmark runs.
 *
 * @param rates offered change rates, one run each, in changes per second
 * @param duration measured time per rate
 * @param warmup unmeasured time at the same rate before each measured run
 * @param jitWarmup unmeasured time at {@code jitWarmupRate} before the first rate, so the JIT has
 *     compiled the mesh's hot code (a fresh JVM compiles for minutes); zero for none
 * @param jitWarmupRate changes per second during the JIT warm-up
 * @param dataDir where the mesh keeps its state; null uses a fresh temporary directory deleted at
 *     the end
 * @param port HTTP port of the sales subgraph (0 = any free port)
 * @param customers customers created before the first run; updates pick among them
 * @param connections writer connections; each commits its share of the schedule
 * @param insertPercent share of changes that insert a new customer instead of updating one
 * @param pollInterval how often the reader asks the subgraph for pending changes
 * @param kafkaTap also time when each change appears on its Kafka topic
 */
record BenchOptions(
    List<Integer> rates,
    Duration duration,
    Duration warmup,
    Duration jitWarmup,
    int jitWarmupRate,
    @Nullable Path dataDir,
    int port,
    int customers,
    int connections,
    int insertPercent,
    Duration pollInterval,
    boolean kafkaTap) {

  /** The options as picocli reads them; values stay text until {@link #parse} checks them. */
  @Command(
      name = "meshgate bench latency",
      synopsisHeading = "usage: ",
      customSynopsis = "meshgate bench latency [options]",
      optionListHeading = "%noptions:%n",
      sortOptions = false)
  static final class Arguments {
    @Option(
        names = "--rates",
        paramLabel = "N[,N...]",
        description = "comma-separated offered rates in changes/s (default ${DEFAULT-VALUE})")
    String rates = "500,1000";

    @Option(
        names = "--duration",
        paramLabel = "S",
        description = "measured seconds per rate (default ${DEFAULT-VALUE})")
    String duration = "60";

    @Option(
        names = "--warmup",
        paramLabel = "S",
        description =
            "unmeasured seconds before each rate's measurement (default ${DEFAULT-VALUE})")
    String warmup = "10";

    @Option(
        names = "--jit-warmup",
        paramLabel = "S",
        description =
            "unmeasured seconds at --jit-warmup-rate before the first rate, so the JIT has"
                + " compiled the mesh's hot code (a fresh JVM compiles for about three minutes; 0"
                + " = none; default ${DEFAULT-VALUE})")
    String jitWarmup = "180";

    @Option(
        names = "--jit-warmup-rate",
        paramLabel = "N",
        description = "changes/s during the JIT warm-up (default ${DEFAULT-VALUE})")
    String jitWarmupRate = "200";

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description =
            "mesh data directory (default: a fresh temporary directory, deleted at the end)")
    @Nullable String dataDir;

    @Option(
        names = "--port",
        paramLabel = "PORT",
        description = "HTTP port of the sales subgraph (default ${DEFAULT-VALUE} = any free port)")
    String port = "0";

    @Option(
        names = "--customers",
        paramLabel = "N",
        description = "customers created before the first run (default ${DEFAULT-VALUE})")
    String customers = "2000";

    @Option(
        names = "--connections",
        paramLabel = "N",
        description =
            "writer JDBC connections, each committing its share of the schedule (default"
                + " ${DEFAULT-VALUE})")
    String connections = "4";

    @Option(
        names = "--insert-percent",
        paramLabel = "N",
        description =
            "percent of changes that insert a customer rather than update one (default"
                + " ${DEFAULT-VALUE})")
    String insertPercent = "10";

    @Option(
        names = "--poll-ms",
        paramLabel = "MS",
        description = "reader poll interval in milliseconds (default ${DEFAULT-VALUE})")
    String pollMs = "5";

    @Option(
        names = "--kafka-tap",
        paramLabel = "true|false",
        description = "also time each change's arrival on Kafka (default ${DEFAULT-VALUE})")
    String kafkaTap = "true";

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help and exit")
    boolean help;
  }

  /**
   * Parses {@code --flag value} or {@code --flag=value} arguments.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  static BenchOptions parse(String[] args) {
    Arguments given = new Arguments();
    new BenchCommandLine(given).parse(args);
    String dataDir = given.dataDir;
    return new BenchOptions(
        rates(given.rates),
        Duration.ofSeconds(atLeast(given.duration, "--duration", 1)),
        Duration.ofSeconds(atLeast(given.warmup, "--warmup", 0)),
        Duration.ofSeconds(atLeast(given.jitWarmup, "--jit-warmup", 0)),
        atLeast(given.jitWarmupRate, "--jit-warmup-rate", 1),
        dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir),
        port(given.port),
        atLeast(given.customers, "--customers", 1),
        atLeast(given.connections, "--connections", 1),
        percent(given.insertPercent),
        Duration.ofMillis(atLeast(given.pollMs, "--poll-ms", 1)),
        bool(given.kafkaTap, "--kafka-tap"));
  }

  /**
   * Whether {@code args} ask for the usage ({@code --help} or {@code -h}) and are otherwise
   * understood.
   */
  static boolean helpRequested(String[] args) {
    try {
      return new BenchCommandLine(new Arguments()).parse(args);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Usage text listing every option. */
  static String usage() {
    return new BenchCommandLine(new Arguments()).usage();
  }

  private static List<Integer> rates(String value) {
    List<Integer> rates = new ArrayList<>();
    for (String part : value.split(",")) {
      rates.add(parsePositive(part.trim(), "--rates"));
    }
    return List.copyOf(rates);
  }

  private static int parsePositive(String value, String flag) {
    int parsed = wholeNumber(value, flag);
    if (parsed < 1) {
      throw new IllegalArgumentException(flag + " must be positive (got " + value + ")");
    }
    return parsed;
  }

  private static int port(String value) {
    int port = wholeNumber(value, "--port");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535 (got " + value + ")");
    }
    return port;
  }

  private static int percent(String value) {
    int percent = wholeNumber(value, "--insert-percent");
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException(
          "--insert-percent must be between 0 and 100 (got " + value + ")");
    }
    return percent;
  }

  private static boolean bool(String value, String flag) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new IllegalArgumentException(flag + " must be true or false (got " + value + ")");
    };
  }
}
