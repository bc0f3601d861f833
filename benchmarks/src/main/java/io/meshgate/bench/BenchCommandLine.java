package io.meshgate.bench;

import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A benchmark's command line, read by picocli into an object with {@code @Option} fields. What it
 * does not understand becomes an {@link IllegalArgumentException} naming the option, the way the
 * benchmarks report every bad option.
 */
final class BenchCommandLine {

  private final CommandLine commandLine;

  /**
   * @param arguments an object whose {@code @Option} fields receive the values
   */
  BenchCommandLine(Object arguments) {
    commandLine = new CommandLine(arguments);
    // The last of a repeated option wins, and an option's value is the next argument whatever it
    // looks like, as the benchmarks always read them.
    commandLine.setOverwrittenOptionsAllowed(true);
    commandLine.setAllowOptionsAsOptionParameters(true);
  }

  /**
   * Reads {@code args} into the object given to the constructor.
   *
   * @return whether {@code --help} or {@code -h} was given
   * @throws IllegalArgumentException naming the option that is unknown or has no value
   */
  boolean parse(String[] args) {
    try {
      return commandLine.parseArgs(args).isUsageHelpRequested();
    } catch (UnmatchedArgumentException e) {
      String unmatched =
          e.getUnmatched().isEmpty() ? String.join(" ", args) : e.getUnmatched().getFirst();
      int eq = unmatched.indexOf('=');
      throw new IllegalArgumentException(
          "unknown option "
              + (unmatched.startsWith("-") && eq > 0 ? unmatched.substring(0, eq) : unmatched)
              + (e.getSuggestions().isEmpty()
                  ? ""
                  : "\ndid you mean " + String.join(" or ", e.getSuggestions()) + "?"),
          e);
    } catch (MissingParameterException e) {
      throw new IllegalArgumentException(
          e.getMissing().stream()
                  .map(
                      arg ->
                          arg instanceof OptionSpec option
                              ? option.longestName()
                              : arg.paramLabel())
                  .collect(Collectors.joining(", "))
              + " needs a value",
          e);
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * {@code value} as a whole number of at least {@code min}.
   *
   * @throws IllegalArgumentException naming {@code flag} and what was wrong
   */
  static int atLeast(String value, String flag, int min) {
    int parsed = wholeNumber(value, flag);
    if (parsed < min) {
      throw new IllegalArgumentException(
          flag + " must be at least " + min + " (got " + value + ")");
    }
    return parsed;
  }

  /**
   * {@code value} as a whole number.
   *
   * @throws IllegalArgumentException naming {@code flag} when it is not one
   */
  static int wholeNumber(String value, String flag) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number (got " + value + ")");
    }
  }

  /** The usage picocli generates from the options. */
  String usage() {
    return commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }
}
