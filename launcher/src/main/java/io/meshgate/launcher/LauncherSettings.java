package io.meshgate.launcher;

import io.meshgate.launcher.embedded.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How the mesh is run, from command-line options with environment-variable fallbacks. Without
 * external addresses everything runs embedded under {@link #dataDir()}.
 *
 * @param dataDir where embedded Postgres, Kafka and every product's local state live
 * @param kafkaBootstrapServers an external Kafka; null runs an embedded broker
 * @param postgresUrl an external Postgres server ({@code jdbc:postgresql://host:port}); each
 *     product uses the database named after it; null runs an embedded server
 * @param postgresUser user for the external Postgres (needs REPLICATION)
 * @param postgresPassword password for the external Postgres
 * @param kafkaPort port of the embedded broker (0 = any free port)
 * @param postgresPort port of the embedded Postgres (0 = any free port)
 * @param salesPort HTTP port of the sales subgraph
 * @param sampleData load sample data on first start
 * @param gatewayPort HTTP port of the federation gateway, the one URL a user needs
 * @param productPorts HTTP ports of other products by name ({@code *} for every product without its
 *     own entry); a product not named listens on its default port
 * @param simulate orders per second the traffic simulator places (0 = off)
 * @param maxSlotWalKeepSize the embedded Postgres' {@code max_slot_wal_keep_size}: the most WAL a
 *     product's replication slot may hold back while its capture is behind ({@code -1} = no cap)
 * @param exposeQueryPlans the gateway answers query plans to clients that ask for them
 */
public record LauncherSettings(
    Path dataDir,
    @Nullable String kafkaBootstrapServers,
    @Nullable String postgresUrl,
    String postgresUser,
    String postgresPassword,
    int kafkaPort,
    int postgresPort,
    int salesPort,
    boolean sampleData,
    int gatewayPort,
    Map<String, Integer> productPorts,
    int simulate,
    String maxSlotWalKeepSize,
    boolean exposeQueryPlans) {

  /** Most orders per second the simulator places. */
  public static final int MAX_SIMULATED_RATE = 5_000;

  public LauncherSettings {
    productPorts = Map.copyOf(productPorts);
    try {
      EmbeddedPostgresServer.requireWalSize(maxSlotWalKeepSize);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--max-slot-wal-keep-size: " + e.getMessage());
    }
    if (simulate < 0 || simulate > MAX_SIMULATED_RATE) {
      throw new IllegalArgumentException(
          "--simulate must be between 0 (off) and "
              + MAX_SIMULATED_RATE
              + " orders per second, was "
              + simulate);
    }
  }

  /** Settings without query plans for clients. */
  public LauncherSettings(
      Path dataDir,
      @Nullable String kafkaBootstrapServers,
      @Nullable String postgresUrl,
      String postgresUser,
      String postgresPassword,
      int kafkaPort,
      int postgresPort,
      int salesPort,
      boolean sampleData,
      int gatewayPort,
      Map<String, Integer> productPorts,
      int simulate,
      String maxSlotWalKeepSize) {
    this(
        dataDir,
        kafkaBootstrapServers,
        postgresUrl,
        postgresUser,
        postgresPassword,
        kafkaPort,
        postgresPort,
        salesPort,
        sampleData,
        gatewayPort,
        productPorts,
        simulate,
        maxSlotWalKeepSize,
        false);
  }

  /** Settings with the default cap on the WAL a replication slot may hold back. */
  public LauncherSettings(
      Path dataDir,
      @Nullable String kafkaBootstrapServers,
      @Nullable String postgresUrl,
      String postgresUser,
      String postgresPassword,
      int kafkaPort,
      int postgresPort,
      int salesPort,
      boolean sampleData,
      int gatewayPort,
      Map<String, Integer> productPorts,
      int simulate) {
    this(
        dataDir,
        kafkaBootstrapServers,
        postgresUrl,
        postgresUser,
        postgresPassword,
        kafkaPort,
        postgresPort,
        salesPort,
        sampleData,
        gatewayPort,
        productPorts,
        simulate,
        EmbeddedPostgresServer.DEFAULT_MAX_SLOT_WAL_KEEP_SIZE,
        false);
  }

  /** The port of product {@code name}, whose default is {@code defaultPort}. */
  public int portOf(String name, int defaultPort) {
    if (name.equals("sales") && !productPorts.containsKey("sales")) {
      return salesPort;
    }
    return productPorts.getOrDefault(name, productPorts.getOrDefault("*", defaultPort));
  }

  /**
   * One option: its flag, environment variable, default, what its value is called in the usage and
   * what it means.
   */
  record Option(
      String flag, String env, @Nullable String defaultValue, String label, String help) {}

  static final List<Option> OPTIONS =
      List.of(
          new Option(
              "--data-dir",
              "MESHGATE_DATA_DIR",
              "meshgate-data",
              "DIR",
              "directory for embedded Postgres, Kafka and product state; a restart resumes from"
                  + " it"),
          new Option(
              "--kafka-bootstrap-servers",
              "MESHGATE_KAFKA_BOOTSTRAP_SERVERS",
              null,
              "HOST:PORT[,HOST:PORT]",
              "use this external Kafka instead of the embedded broker"),
          new Option(
              "--postgres-url",
              "MESHGATE_POSTGRES_URL",
              null,
              "URL",
              "use this external Postgres server (jdbc:postgresql://host:port); each product uses"
                  + " the database named after it"),
          new Option(
              "--postgres-user",
              "MESHGATE_POSTGRES_USER",
              "postgres",
              "USER",
              "user for the external Postgres (needs REPLICATION)"),
          new Option(
              "--postgres-password",
              "MESHGATE_POSTGRES_PASSWORD",
              "postgres",
              "PASSWORD",
              "password for the external Postgres"),
          new Option(
              "--kafka-port",
              "MESHGATE_KAFKA_PORT",
              "0",
              "PORT",
              "port of the embedded Kafka broker (0 = any free port)"),
          new Option(
              "--postgres-port",
              "MESHGATE_POSTGRES_PORT",
              "0",
              "PORT",
              "port of the embedded Postgres (0 = any free port)"),
          new Option(
              "--gateway-port",
              "MESHGATE_GATEWAY_PORT",
              "8080",
              "PORT",
              "HTTP port of the federation gateway (0 = any free port)"),
          new Option(
              "--sales-port",
              "MESHGATE_SALES_PORT",
              "8081",
              "PORT",
              "HTTP port of the sales subgraph (0 = any free port)"),
          new Option(
              "--sample-data",
              "MESHGATE_SAMPLE_DATA",
              "true",
              "true|false",
              "load sample data on first start"),
          new Option(
              "--product-ports",
              "MESHGATE_PRODUCT_PORTS",
              "",
              "NAME=PORT[,NAME=PORT]",
              "HTTP ports of products (* = every other product; 0 = any free port)"),
          new Option(
              "--simulate",
              "MESHGATE_SIMULATE",
              "0",
              "ORDERS_PER_S",
              "traffic simulator: place this many orders per second through the gateway, ship and"
                  + " cancel some, pay invoices (0 = off)"),
          new Option(
              "--max-slot-wal-keep-size",
              "MESHGATE_MAX_SLOT_WAL_KEEP_SIZE",
              EmbeddedPostgresServer.DEFAULT_MAX_SLOT_WAL_KEEP_SIZE,
              "SIZE",
              "most WAL the embedded Postgres keeps for a product's replication slot while its"
                  + " capture is behind (e.g. 512MB, 2GB; -1 = no cap)"),
          new Option(
              "--expose-query-plans",
              "MESHGATE_EXPOSE_QUERY_PLANS",
              "false",
              "true|false",
              "the gateway answers the query plan to a client that asks (X-Meshgate-Query-Plan:"
                  + " true)"));

  /**
   * Parses {@code args} ({@code --flag value} or {@code --flag=value}); unset options fall back to
   * their environment variable, then their default.
   *
   * @throws IllegalArgumentException with a message naming the bad option
   */
  public static LauncherSettings parse(String[] args, Function<String, @Nullable String> env) {
    ParseResult given = readCommandLine(args);
    Function<String, @Nullable String> get =
        flag -> {
          Option o = option(flag);
          String v = given.matchedOptionValue(flag, null);
          if (v == null) {
            v = env.apply(o.env());
          }
          if (v == null || v.isBlank()) {
            v = o.defaultValue();
          }
          return v;
        };
    return new LauncherSettings(
        Path.of(require(get.apply("--data-dir"), "--data-dir")),
        blankToNull(get.apply("--kafka-bootstrap-servers")),
        postgresUrl(blankToNull(get.apply("--postgres-url"))),
        require(get.apply("--postgres-user"), "--postgres-user"),
        require(get.apply("--postgres-password"), "--postgres-password"),
        port(get.apply("--kafka-port"), "--kafka-port", true),
        port(get.apply("--postgres-port"), "--postgres-port", true),
        port(get.apply("--sales-port"), "--sales-port", true),
        bool(get.apply("--sample-data"), "--sample-data"),
        port(get.apply("--gateway-port"), "--gateway-port", true),
        productPorts(get.apply("--product-ports")),
        rate(get.apply("--simulate"), "--simulate"),
        require(get.apply("--max-slot-wal-keep-size"), "--max-slot-wal-keep-size").trim(),
        bool(get.apply("--expose-query-plans"), "--expose-query-plans"));
  }

  /**
   * Whether {@code args} ask for the usage ({@code --help} or {@code -h}) and are otherwise
   * understood.
   */
  public static boolean helpRequested(String[] args) {
    try {
      return readCommandLine(args).isUsageHelpRequested();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Usage text listing every option with its environment variable and default. */
  public static String usage() {
    return commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing();
  }

  /**
   * The command line of {@code meshgate run}, built from {@link #OPTIONS} so that the parser and
   * the usage cannot disagree. Values stay text here: the environment fallback and the checks below
   * turn them into settings, with messages naming the option.
   */
  private static CommandLine commandLine() {
    CommandSpec spec = CommandSpec.create().name("meshgate run");
    spec.usageMessage()
        .synopsisHeading("usage: ")
        .customSynopsis("meshgate run [options]")
        .optionListHeading(
            "%nEach option falls back to its environment variable, then its default:%n")
        .sortOptions(false);
    for (Option o : OPTIONS) {
      String fallback =
          o.defaultValue() == null || o.defaultValue().isEmpty()
              ? "env " + o.env()
              : "env " + o.env() + ", default " + o.defaultValue();
      spec.addOption(
          OptionSpec.builder(o.flag())
              .paramLabel(o.label())
              .type(String.class)
              .description(o.help() + " (" + fallback + ")")
              .build());
    }
    spec.addOption(
        OptionSpec.builder("-h", "--help")
            .usageHelp(true)
            .description("show this help and exit")
            .build());
    CommandLine commandLine = new CommandLine(spec);
    // As before picocli: the last of a repeated option wins, and an option's value is the next
    // argument whatever it looks like (a password may start with a dash).
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setAllowOptionsAsOptionParameters(true);
    return commandLine;
  }

  private static ParseResult readCommandLine(String[] args) {
    try {
      return commandLine().parseArgs(args);
    } catch (UnmatchedArgumentException e) {
      String unmatched =
          e.getUnmatched().isEmpty() ? String.join(" ", args) : e.getUnmatched().getFirst();
      int eq = unmatched.indexOf('=');
      String flag = unmatched.startsWith("-") && eq > 0 ? unmatched.substring(0, eq) : unmatched;
      String suggestion =
          e.getSuggestions().isEmpty()
              ? ""
              : "\ndid you mean " + String.join(" or ", e.getSuggestions()) + "?";
      throw new IllegalArgumentException("unknown option " + flag + suggestion + "\n" + usage(), e);
    } catch (MissingParameterException e) {
      String names =
          e.getMissing().stream()
              .map(
                  arg -> arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel())
              .collect(Collectors.joining(", "));
      throw new IllegalArgumentException(names + " needs a value", e);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Option option(String flag) {
    return OPTIONS.stream().filter(o -> o.flag().equals(flag)).findFirst().orElseThrow();
  }

  private static int rate(@Nullable String value, String flag) {
    try {
      return Integer.parseInt(require(value, flag).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag + " must be a whole number of orders per second (got " + value + ")");
    }
  }

  private static String require(@Nullable String value, String flag) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(flag + " must not be empty");
    }
    return value;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static @Nullable String postgresUrl(@Nullable String url) {
    if (url == null) {
      return null;
    }
    if (!url.replaceAll("/+$", "").matches("^jdbc:postgresql://[^/?#\\s]+$")) {
      throw new IllegalArgumentException(
          "--postgres-url must look like jdbc:postgresql://host:port (got " + url + ")");
    }
    return url.replaceAll("/+$", "");
  }

  private static int port(@Nullable String value, String flag, boolean zeroAllowed) {
    try {
      int port = Integer.parseInt(require(value, flag).trim());
      if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag
              + " must be a port number between "
              + (zeroAllowed ? 0 : 1)
              + " and 65535 (got "
              + value
              + ")");
    }
  }

  private static Map<String, Integer> productPorts(@Nullable String value) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return ports;
    }
    for (String entry : value.split(",")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--product-ports takes NAME=PORT[,NAME=PORT] (got '" + entry + "')");
      }
      ports.put(
          entry.substring(0, eq).trim(),
          port(entry.substring(eq + 1), "--product-ports " + entry.substring(0, eq).trim(), true));
    }
    return ports;
  }

  private static boolean bool(@Nullable String value, String flag) {
    String v = require(value, flag).trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default ->
          throw new IllegalArgumentException(flag + " must be true or false (got " + value + ")");
    };
  }
}
