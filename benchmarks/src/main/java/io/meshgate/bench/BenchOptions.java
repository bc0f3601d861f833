package io.meshgate.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How the commit-to-visible benchmark runs.
 *
 * @param rates offered change rates, one run each, in changes per second
 * @param duration measured time per rate
 * @param warmup unmeasured time at the same rate before each measured run
 * @param dataDir where the mesh keeps its state; null uses a fresh temporary directory deleted at the end
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
    @Nullable Path dataDir,
    int port,
    int customers,
    int connections,
    int insertPercent,
    Duration pollInterval,
    boolean kafkaTap) {

  private static final Map<String, String> HELP = new LinkedHashMap<>();

  static {
    HELP.put("--rates", "comma-separated offered rates in changes/s (default 500,1000)");
    HELP.put("--duration", "measured seconds per rate (default 60)");
    HELP.put("--warmup", "unmeasured seconds before each rate's measurement (default 10)");
    HELP.put("--data-dir", "mesh data directory (default: a fresh temporary directory, deleted at the end)");
    HELP.put("--port", "HTTP port of the sales subgraph (default 0 = any free port)");
    HELP.put("--customers", "customers created before the first run (default 2000)");
    HELP.put("--connections", "writer JDBC connections, each committing its share of the schedule (default 4)");
    HELP.put("--insert-percent", "percent of changes that insert a customer rather than update one (default 10)");
    HELP.put("--poll-ms", "reader poll interval in milliseconds (default 5)");
    HELP.put("--kafka-tap", "also time each change's arrival on Kafka (true/false, default true)");
  }

  /**
   * Parses {@code --flag value} or {@code --flag=value} arguments.
   *
   * @throws IllegalArgumentException naming the bad option
   */
  static BenchOptions parse(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value;
      int eq = flag.indexOf('=');
      if (eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(HELP.containsKey(flag) ? flag + " needs a value" : "unknown option " + flag);
      }
      if (!HELP.containsKey(flag)) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      given.put(flag, value);
    }
    String dataDir = given.get("--data-dir");
    return new BenchOptions(
        rates(given.getOrDefault("--rates", "500,1000")),
        Duration.ofSeconds(positive(given, "--duration", 60)),
        Duration.ofSeconds(atLeast(given, "--warmup", 10, 0)),
        dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir),
        port(given.getOrDefault("--port", "0")),
        positive(given, "--customers", 2000),
        positive(given, "--connections", 4),
        percent(given.getOrDefault("--insert-percent", "10")),
        Duration.ofMillis(positive(given, "--poll-ms", 5)),
        bool(given.getOrDefault("--kafka-tap", "true"), "--kafka-tap"));
  }

  /** Usage text listing every option. */
  static String usage() {
    StringBuilder text = new StringBuilder("usage: CommitToVisibleBenchmark [options]\n");
    HELP.forEach((flag, help) -> text.append(String.format("  %-18s %s%n", flag + " N", help)));
    return text.toString();
  }

  private static List<Integer> rates(String value) {
    List<Integer> rates = new ArrayList<>();
    for (String part : value.split(",")) {
      rates.add(parsePositive(part.trim(), "--rates"));
    }
    return List.copyOf(rates);
  }

  private static int positive(Map<String, String> given, String flag, int defaultValue) {
    return atLeast(given, flag, defaultValue, 1);
  }

  private static int atLeast(Map<String, String> given, String flag, int defaultValue, int min) {
    String value = given.get(flag);
    if (value == null) {
      return defaultValue;
    }
    int parsed = parseInt(value, flag);
    if (parsed < min) {
      throw new IllegalArgumentException(flag + " must be at least " + min + " (got " + value + ")");
    }
    return parsed;
  }

  private static int parsePositive(String value, String flag) {
    int parsed = parseInt(value, flag);
    if (parsed < 1) {
      throw new IllegalArgumentException(flag + " must be positive (got " + value + ")");
    }
    return parsed;
  }

  private static int port(String value) {
    int port = parseInt(value, "--port");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535 (got " + value + ")");
    }
    return port;
  }

  private static int percent(String value) {
    int percent = parseInt(value, "--insert-percent");
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("--insert-percent must be between 0 and 100 (got " + value + ")");
    }
    return percent;
  }

  private static int parseInt(String value, String flag) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number (got " + value + ")");
    }
  }

  private static boolean bool(String value, String flag) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException(flag + " must be true or false (got " + value + ")");
    };
  }
}
