package io.meshgate.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./meshgate token}: prints a bearer token signed with the embedded mesh's own key, for
 * trying the access rules in GraphiQL (Headers: {@code {"Authorization": "Bearer <token>"}}) or
 * with curl.
 */
public final class TokenMain {

  private TokenMain() {}

  @Command(
      name = "meshgate token",
      description = "print a bearer token signed by the embedded mesh's key",
      sortOptions = false)
  static final class Arguments {
    @Option(
        names = "--subject",
        paramLabel = "NAME",
        required = true,
        description = "who the token is for (its sub)")
    String subject = "";

    @Option(
        names = "--scopes",
        paramLabel = "LIST",
        description =
            "space- or comma-separated scopes, e.g. \"sales:read pii:read\" (default none)")
    @Nullable String scopes;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "how long the token is valid: 30m, 8h, 2d (default 8h)")
    String ttl = "8h";

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        description = "the mesh's data directory (default meshgate-data)")
    String dataDir = "meshgate-data";

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help and exit")
    boolean help;
  }

  public static void main(String[] args) {
    Arguments given = new Arguments();
    CommandLine commandLine = new CommandLine(given);
    try {
      commandLine.parseArgs(args);
      if (given.help) {
        System.out.println(commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing());
        return;
      }
      String token =
          LocalSigningKey.load(Path.of(given.dataDir).resolve("auth"))
              .issue(given.subject, scopes(given.scopes), ttl(given.ttl));
      System.out.println(token);
    } catch (ParameterException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("meshgate token: " + e.getMessage());
      System.exit(2);
    }
  }

  static Set<String> scopes(@Nullable String value) {
    Set<String> scopes = new LinkedHashSet<>();
    if (value != null) {
      for (String scope : value.split("[\\s,]+")) {
        if (!scope.isEmpty()) {
          scopes.add(scope);
        }
      }
    }
    return scopes;
  }

  static Duration ttl(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (text.matches("\\d+[smhd]")) {
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        Duration duration =
            switch (text.charAt(text.length() - 1)) {
              case 's' -> Duration.ofSeconds(amount);
              case 'm' -> Duration.ofMinutes(amount);
              case 'h' -> Duration.ofHours(amount);
              default -> Duration.ofDays(amount);
            };
        if (!duration.isZero() && duration.compareTo(Duration.ofDays(366)) <= 0) {
          return duration;
        }
      } else {
        Duration duration = Duration.parse(value.trim());
        if (!duration.isNegative() && !duration.isZero()) {
          return duration;
        }
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        "--ttl must be a positive duration of at most a year such as 30m, 8h or 2d (got '"
            + value
            + "')");
  }
}
