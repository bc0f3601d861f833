package io.meshgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line of {@code ./meshgate bench orders}, as docs/benchmarks.md gives it. */
class OrderToLedgerOptionsTest {

  @Test
  void withoutOptionsPlacesTwoHundredOrdersASecondForAMinuteAfterTheCompilerAndTheMeshWarmUp() {
    assertThat(OrderToLedgerBenchmark.options(new String[0]))
        .isEqualTo(
            Map.of(
                "--rate", 200,
                "--duration", 60,
                "--warmup", 20,
                "--jit-warmup", 180,
                "--jit-warmup-rate", 20));
  }

  @Test
  void readsEveryOption() {
    assertThat(
            OrderToLedgerBenchmark.options(
                new String[] {
                  "--rate",
                  "20",
                  "--duration",
                  "5",
                  "--warmup",
                  "0",
                  "--jit-warmup",
                  "0",
                  "--jit-warmup-rate",
                  "5"
                }))
        .isEqualTo(
            Map.of(
                "--rate", 20,
                "--duration", 5,
                "--warmup", 0,
                "--jit-warmup", 0,
                "--jit-warmup-rate", 5));
  }

  @Test
  void rejectsAnUnknownOptionNamingIt() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OrderToLedgerBenchmark.options(new String[] {"--rates", "20"}))
        .withMessageStartingWith("unknown option --rates");
  }

  @Test
  void rejectsAnOptionWithoutItsValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OrderToLedgerBenchmark.options(new String[] {"--rate"}))
        .withMessage("--rate needs a value");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate            | 0    | --rate must be at least 1 (got 0)",
        "--rate            | fast | --rate must be a whole number (got fast)",
        "--duration        | 0    | --duration must be at least 1 (got 0)",
        "--duration        | -5   | --duration must be at least 1 (got -5)",
        "--warmup          | -1   | --warmup must be at least 0 (got -1)",
        "--warmup          | 1.5  | --warmup must be a whole number (got 1.5)",
        "--jit-warmup      | -1   | --jit-warmup must be at least 0 (got -1)",
        "--jit-warmup-rate | 0    | --jit-warmup-rate must be at least 1 (got 0)"
      })
  void rejectsABadValueNamingTheOption(String option, String value, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> OrderToLedgerBenchmark.options(new String[] {option, value}))
        .withMessage(message);
  }
}
