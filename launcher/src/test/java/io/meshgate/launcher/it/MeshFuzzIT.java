package io.meshgate.launcher.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.meshgate.launcher.Mesh;
import io.meshgate.launcher.fuzz.Category;
import io.meshgate.launcher.fuzz.FuzzConfig;
import io.meshgate.launcher.fuzz.FuzzReport;
import io.meshgate.launcher.fuzz.FuzzReport.ViolationClass;
import io.meshgate.launcher.fuzz.FuzzRun;
import io.meshgate.launcher.fuzz.MeshFuzz;
import io.meshgate.launcher.fuzz.Target;
import io.meshgate.launcher.fuzz.Violation;
import io.meshgate.launcher.fuzz.Violation.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A short seeded fuzz run against the whole embedded mesh, the gateway and every subgraph: no 5xx
 * but 503, no hang, the gateway answers {@code { __typename }} within a second throughout, every
 * answer is a GraphQL answer whose errors carry codes and no Java internals, and the CPU comes back
 * to rest. {@code ./meshgate fuzz} runs the same harness with 10,000 operations.
 */
class MeshFuzzIT {

  private static final long SEED = 20_261_207L;
  private static final int OPERATIONS = 400;

  /**
   * Violations that are known, tracked and outside the launcher, each as narrow as it can be said:
   * the endpoints it is allowed on, what its detail and its answer look like. Everything else fails
   * the test.
   *
   * @param kind the invariant broken
   * @param targets the endpoints it is known on
   * @param detail what the violation's detail must match in full
   * @param answer what the answer must contain (a regular expression found anywhere; empty for any)
   * @param sent what the request must contain (likewise)
   * @param why where it comes from
   */
  record Known(
      Kind kind, Set<String> targets, Pattern detail, Pattern answer, Pattern sent, String why) {

    Known(Kind kind, Set<String> targets, Pattern detail, Pattern answer, String why) {
      this(kind, targets, detail, answer, ANY, why);
    }

    boolean covers(Violation v) {
      return v.kind() == kind
          && targets.contains(v.target())
          && detail.matcher(v.detail()).matches()
          && answer.matcher(v.answer()).find()
          && sent.matcher(v.request()).find();
    }
  }

  private static final Pattern ANY = Pattern.compile("");

  /**
   * Violations known and accepted, each with why; none today: every class the fuzzer found is
   * fixed.
   */
  static final List<Known> KNOWN = List.of();

  @Test
  void adversarialOperationsGetGraphQlAnswersWithoutServerErrorsHangsOrABusyCpuAfterwards() {
    Mesh mesh = SharedMesh.get();
    List<Target> targets = MeshFuzz.targets(mesh);
    FuzzConfig config = FuzzConfig.defaults(SEED).withOperations(OPERATIONS);
    FuzzReport report =
        assertTimeoutPreemptively(
            Duration.ofMinutes(10),
            () -> FuzzRun.run(config, targets, FuzzRun.meshCpu(mesh), System.out));
    report.print(System.out);

    assertThat(report.categories().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(OPERATIONS);
    assertThat(report.categories().keySet()).containsAll(List.of(Category.values()));
    assertThat(report.statuses().keySet())
        .containsExactlyElementsOf(targets.stream().map(Target::name).toList());
    assertThat(report.statuses().get("gateway").getOrDefault("200", 0L)).isPositive();
    assertThat(report.probe().count().get("gateway")).isPositive();
    List<String> unexpected =
        report.violations().stream()
            .filter(c -> KNOWN.stream().noneMatch(k -> k.covers(c.first())))
            .map(MeshFuzzIT::describe)
            .toList();
    assertThat(unexpected)
        .as("violations (replay with ./meshgate fuzz --target ... --seed %d --replay INDEX)", SEED)
        .isEmpty();
  }

  private static String describe(ViolationClass c) {
    Violation v = c.first();
    return "["
        + v.kind()
        + "] "
        + v.target()
        + " "
        + v.detail()
        + " x"
        + c.count()
        + ", first at operation "
        + v.index()
        + "\n  sent: "
        + v.request()
        + "\n  answer: "
        + v.answer();
  }
}
