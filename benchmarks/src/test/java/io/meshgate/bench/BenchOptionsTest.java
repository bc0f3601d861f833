package io.meshgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line of {@code ./meshgate bench latency}, as docs/benchmarks.md gives it. */
class BenchOptionsTest {

  @Test
  void withoutOptionsRunsTheDocumentedDefaults() {
    assertThat(BenchOptions.parse(new String[0]))
        .isEqualTo(
            new BenchOptions(
                List.of(500, 1000),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofSeconds(180),
                200,
                null,
                0,
                2000,
                4,
                10,
                Duration.ofMillis(5),
                true));
  }

  @Test
  void readsEveryOptionFollowedByItsValue() {
    BenchOptions options =
        BenchOptions.parse(
            new String[] {
              "--rates",
              "50, 100",
              "--duration",
              "5",
              "--warmup",
              "0",
              "--jit-warmup",
              "30",
              "--jit-warmup-rate",
              "50",
              "--data-dir",
              "/tmp/bench",
              "--port",
              "9081",
              "--customers",
              "10",
              "--connections",
              "2",
              "--insert-percent",
              "100",
              "--poll-ms",
              "20",
              "--kafka-tap",
              "no"
            });

    assertThat(options)
        .isEqualTo(
            new BenchOptions(
                List.of(50, 100),
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ofSeconds(30),
                50,
                Path.of("/tmp/bench"),
                9081,
                10,
                2,
                100,
                Duration.ofMillis(20),
                false));
  }

  @Test
  void readsFlagEqualsValue() {
    BenchOptions options =
        BenchOptions.parse(new String[] {"--rates=250", "--duration=30", "--kafka-tap=false"});

    assertThat(options.rates()).containsExactly(250);
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.kafkaTap()).isFalse();
  }

  @Test
  void aBlankDataDirectoryMeansAFreshTemporaryOne() {
    assertThat(BenchOptions.parse(new String[] {"--data-dir", " "}).dataDir()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"--rate", "--verbose", "-r"})
  void rejectsAnUnknownOptionNamingIt(String option) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BenchOptions.parse(new String[] {option, "1"}))
        .withMessageStartingWith("unknown option " + option);
  }

  @Test
  void suggestsTheOptionAMistypedOneResembles() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BenchOptions.parse(new String[] {"--durtion", "5"}))
        .withMessageStartingWith("unknown option --durtion\n")
        .withMessageContaining("did you mean --duration");
  }

  @Test
  void helpIsAskedForAnywhere() {
    assertThat(BenchOptions.helpRequested(new String[] {"--rates", "50", "--help"})).isTrue();
    assertThat(BenchOptions.helpRequested(new String[] {"--rates", "50"})).isFalse();
  }

  @Test
  void rejectsAnOptionWithoutItsValue() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "50", "--duration"}))
        .withMessage("--duration needs a value");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--rates          | 0       | --rates must be positive (got 0)",
        "--rates          | 50,x    | --rates must be a whole number (got x)",
        "--duration       | 0       | --duration must be at least 1 (got 0)",
        "--duration       | 1.5     | --duration must be a whole number (got 1.5)",
        "--warmup         | -1      | --warmup must be at least 0 (got -1)",
        "--port           | 65536   | --port must be between 0 and 65535 (got 65536)",
        "--customers      | 0       | --customers must be at least 1 (got 0)",
        "--connections    | many    | --connections must be a whole number (got many)",
        "--insert-percent | 101     | --insert-percent must be between 0 and 100 (got 101)",
        "--poll-ms        | 0       | --poll-ms must be at least 1 (got 0)",
        "--kafka-tap      | maybe   | --kafka-tap must be true or false (got maybe)"
      })
  void rejectsABadValueNamingTheOption(String option, String value, String message) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BenchOptions.parse(new String[] {option, value}))
        .withMessage(message);
  }

  @Test
  void usageListsEveryOptionWithItsDefault() {
    assertThat(BenchOptions.usage())
        .contains(
            "--rates",
            "500,1000",
            "--duration",
            "60",
            "--warmup",
            "10",
            "--data-dir",
            "--port",
            "--customers",
            "2000",
            "--connections",
            "--insert-percent",
            "--poll-ms",
            "--kafka-tap");
  }
}
