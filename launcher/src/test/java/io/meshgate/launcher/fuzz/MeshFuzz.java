package io.meshgate.launcher.fuzz;

import io.meshgate.launcher.LauncherSettings;
import io.meshgate.launcher.Mesh;
import io.meshgate.launcher.MeshLauncher;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * {@code ./meshgate fuzz}: starts the whole mesh embedded on 127.0.0.1 with free ports and a fresh
 * data directory (or fuzzes running endpoints given with {@code --target}), runs the seeded fuzz
 * harness, prints its summary and stops everything. Exits 0 when nothing was violated, 1 when
 * something was, 2 on a bad command line.
 */
public final class MeshFuzz {

  static final String USAGE =
      """
      usage: ./meshgate fuzz [options]
        --ops N             operations to send (default 10000), spread evenly over the endpoints
        --seed N            seed of the operations (default: drawn and printed); the same seed sends the same ones
        --concurrency N     operations in flight at once (default 4)
        --timeout S         seconds one answer may take before it counts as a hang (default 30)
        --target [NAME=]URL fuzz a running mesh instead of starting one: a /graphql URL, repeatable; the first is
                            the gateway the probe asks (names default to gateway, target2, ...)
        --pid N             with --target: the process whose CPU must come back to rest (repeatable; without it
                            the CPU is not measured)
        --replay INDEX      send only operation INDEX of the seed and print it and its whole answer
      """;

  private MeshFuzz() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("meshgate fuzz: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      out.print(USAGE);
      return;
    }
    if (System.getProperty("meshgate.fuzz.log") == null) {
      System.setProperty(
          "meshgate.fuzz.log", Files.createTempFile("meshgate-fuzz-", ".log").toString());
    }
    FuzzConfig config =
        FuzzConfig.defaults(options.seed)
            .withOperations(options.ops)
            .withConcurrency(options.concurrency);
    config =
        new FuzzConfig(
            config.operations(),
            config.seed(),
            config.concurrency(),
            Duration.ofSeconds(options.timeoutSeconds),
            config.probeInterval(),
            config.probeLimit(),
            config.settle(),
            config.cpuWindow(),
            config.cpuWindows(),
            config.idleMargin());
    int exit;
    if (options.targets.isEmpty()) {
      exit = embedded(config, options, out);
    } else {
      CpuMeter cpu = options.pids.isEmpty() ? null : CpuMeter.processes(options.pids);
      exit = fuzz(config, options, options.targets, cpu, out);
    }
    System.exit(exit);
  }

  private static int embedded(FuzzConfig config, Options options, PrintStream out)
      throws Exception {
    Path dataDir = Files.createTempDirectory("meshgate-fuzz-");
    out.printf(
        "meshgate fuzz: starting the mesh under %s (its log: %s)...%n",
        dataDir, System.getProperty("meshgate.fuzz.log"));
    MeshLauncher.routeLogging();
    long start = System.nanoTime();
    try (Mesh mesh =
        Mesh.start(
            new LauncherSettings(
                dataDir,
                null,
                null,
                "postgres",
                "postgres",
                0,
                0,
                0,
                true,
                0,
                Map.of("*", 0),
                0))) {
      out.printf("meshgate fuzz: mesh up in %.1f s%n", (System.nanoTime() - start) / 1e9);
      return fuzz(config, options, targets(mesh), FuzzRun.meshCpu(mesh), out);
    } finally {
      out.println("meshgate fuzz: mesh stopped.");
      deleteQuietly(dataDir);
    }
  }

  /** The gateway first, then every product's and every mesh service's subgraph. */
  public static List<Target> targets(Mesh mesh) {
    List<Target> targets = new ArrayList<>();
    targets.add(new Target("gateway", mesh.gatewayUrl().resolve("/graphql")));
    mesh.productNames()
        .forEach(n -> targets.add(new Target(n, mesh.productUrl(n).resolve("/graphql"))));
    mesh.serviceNames()
        .forEach(n -> targets.add(new Target(n, mesh.serviceUrl(n).resolve("/graphql"))));
    return List.copyOf(targets);
  }

  private static int fuzz(
      FuzzConfig config,
      Options options,
      List<Target> targets,
      @Nullable CpuMeter cpu,
      PrintStream out)
      throws Exception {
    if (options.replay != null) {
      Replay.print(config.seed(), targets, options.replay, out);
      return 0;
    }
    FuzzReport report =
        FuzzRun.run(config, targets, cpu == null ? CpuMeter.processes(List.of()) : cpu, out);
    report.print(out);
    if (cpu == null) {
      out.println("note: the CPU was not measured (give --pid with --target to measure it).");
    }
    return report.violations().isEmpty() ? 0 : 1;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory: best effort
    }
  }

  /** The command line. */
  static final class Options {
    int ops = 10_000;
    long seed = System.nanoTime() & 0xffff_ffffL;
    int concurrency = 4;
    long timeoutSeconds = 30;
    final List<Target> targets = new ArrayList<>();
    final List<Long> pids = new ArrayList<>();
    @Nullable Integer replay;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        String value = null;
        int eq = flag.indexOf('=');
        if (flag.startsWith("--") && eq > 0) {
          value = flag.substring(eq + 1);
          flag = flag.substring(0, eq);
        }
        if (flag.equals("--help") || flag.equals("-h")) {
          o.help = true;
          continue;
        }
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
          }
          value = args[++i];
        }
        switch (flag) {
          case "--ops" -> o.ops = positive(flag, value);
          case "--seed" -> o.seed = number(flag, value);
          case "--concurrency" -> o.concurrency = positive(flag, value);
          case "--timeout" -> o.timeoutSeconds = positive(flag, value);
          case "--pid" -> o.pids.add(number(flag, value));
          case "--replay" -> o.replay = (int) number(flag, value);
          case "--target" -> o.targets.add(target(value, o.targets.size()));
          default -> throw new IllegalArgumentException("unknown option " + flag);
        }
      }
      return o;
    }

    private static Target target(String value, int position) {
      int eq = value.indexOf('=');
      String name =
          eq > 0 && !value.substring(0, eq).contains(":")
              ? value.substring(0, eq)
              : position == 0 ? "gateway" : "target" + (position + 1);
      String url =
          eq > 0 && !value.substring(0, eq).contains(":") ? value.substring(eq + 1) : value;
      try {
        URI uri = URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("--target must be an http URL, was " + url);
        }
        return new Target(name, uri);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--target must be an http URL such as http://127.0.0.1:8080/graphql, was " + url);
      }
    }

    private static long number(String flag, String value) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " must be a whole number, was " + value);
      }
    }

    private static int positive(String flag, String value) {
      long n = number(flag, value);
      if (n < 1 || n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(flag + " must be at least 1, was " + value);
      }
      return (int) n;
    }
  }
}
