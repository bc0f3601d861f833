package io.meshgate.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one rate measured: the headline commit-to-visible latency, and where the time went.
 *
 * @param rate offered changes per second
 * @param scheduled changes scheduled, warmup included
 * @param achieved measured changes committed per second
 * @param committed measured changes committed
 * @param commitToVisible latency (µs) of the measured changes that were seen
 * @param neverSeen measured changes committed but not seen within the straggler wait
 * @param writersFellBehind the writers could not keep the schedule, so less load was offered than
 *     asked
 * @param stages the writer's and the pipeline's share, each a latency distribution (µs)
 */
record RateResult(
    int rate,
    long scheduled,
    double achieved,
    long committed,
    Histogram commitToVisible,
    long neverSeen,
    boolean writersFellBehind,
    List<Stage> stages) {

  /** Writers this late at the median no longer apply the schedule's load. */
  private static final long FELL_BEHIND_MICROS = 100_000;

  /**
   * One measured span.
   *
   * @param name from which event to which, e.g. {@code commit -> on Kafka}
   * @param note what the span covers
   * @param micros its distribution in microseconds
   */
  record Stage(String name, String note, Histogram micros) {}

  /** Measures the changes {@code measuredFirst .. schedule end} from the timeline. */
  static RateResult of(
      Schedule schedule,
      long measuredFirst,
      long measureStart,
      long measureEnd,
      ChangeTimeline timeline,
      ReadModelProbe.Sample readModel) {
    Histogram commitToVisible = new Histogram(3);
    Histogram dueToCommit = new Histogram(3);
    Histogram roundTrip = new Histogram(3);
    Histogram toCaptured = new Histogram(3);
    Histogram toKafka = new Histogram(3);
    long committedCount = 0;
    long neverSeen = 0;
    long lastCommit = measureStart;
    for (long seq = measuredFirst; seq < schedule.endSeq(); seq++) {
      int i = (int) seq;
      long committed = timeline.committed.get(i);
      if (committed == 0) {
        continue;
      }
      committedCount++;
      lastCommit = Math.max(lastCommit, committed);
      dueToCommit.recordValue(micros(committed - timeline.intended.get(i)));
      roundTrip.recordValue(micros(committed - timeline.sent.get(i)));
      long visible = timeline.visible.get(i);
      if (visible == 0) {
        neverSeen++;
      } else {
        commitToVisible.recordValue(micros(visible - committed));
      }
      recordIfSet(toCaptured, committed, timeline.captured.get(i));
      recordIfSet(toKafka, committed, timeline.onKafka.get(i));
    }
    List<Stage> stages = new ArrayList<>();
    stages.add(
        new Stage("due -> commit returned", "writer lateness against the schedule", dueToCommit));
    stages.add(new Stage("statement -> committed", "JDBC round trip incl. WAL flush", roundTrip));
    stages.add(
        new Stage("commit -> captured", "Debezium built the event, its capturedAt", toCaptured));
    stages.add(new Stage("commit -> on Kafka", "published and fetched by a tap consumer", toKafka));
    String sample =
        "; sample: last change of " + readModel.commitToApplied().getTotalCount() + " customers";
    stages.add(
        new Stage(
            "commit -> applied", "read-model upsert began" + sample, readModel.commitToApplied()));
    stages.add(
        new Stage(
            "applied -> visible",
            "apply commit, reader poll wait and HTTP",
            readModel.appliedToVisible()));
    double seconds = (Math.max(lastCommit, measureEnd) - measureStart) / 1e9;
    double achieved = committedCount / seconds;
    boolean fellBehind =
        achieved < 0.95 * schedule.rate()
            || dueToCommit.getValueAtPercentile(50) > FELL_BEHIND_MICROS;
    return new RateResult(
        schedule.rate(),
        schedule.count(),
        achieved,
        committedCount,
        commitToVisible,
        neverSeen,
        fellBehind,
        List.copyOf(stages));
  }

  void print(PrintStream out) {
    out.printf(
        "rate %,d/s: offered %,d/s, achieved %.1f commits/s, %,d changes measured, %,d seen, never"
            + " seen %d%n",
        rate, rate, achieved, committed, commitToVisible.getTotalCount(), neverSeen);
    out.printf("  %-24s %s%n", "commit -> visible", percentiles(commitToVisible));
    for (Stage stage : stages) {
      if (stage.micros().getTotalCount() > 0) {
        out.printf("  %-24s %s  (%s)%n", stage.name(), percentiles(stage.micros()), stage.note());
      }
    }
    if (writersFellBehind) {
      out.println(
          "  note: the writers fell behind the schedule, so the mesh got less than the offered"
              + " rate; try more --connections, or the machine is saturated (see CPU below)");
    }
  }

  static String percentiles(Histogram h) {
    if (h.getTotalCount() == 0) {
      return "(no samples)";
    }
    return String.format(
        "p50 %7.1f  p95 %7.1f  p99 %7.1f  max %7.1f ms",
        ms(h.getValueAtPercentile(50)),
        ms(h.getValueAtPercentile(95)),
        ms(h.getValueAtPercentile(99)),
        ms(h.getMaxValue()));
  }

  static double ms(long micros) {
    return micros / 1_000.0;
  }

  private static void recordIfSet(Histogram histogram, long from, long to) {
    if (to != 0) {
      histogram.recordValue(micros(to - from));
    }
  }

  static long micros(long nanos) {
    return Math.max(0, nanos) / 1_000;
  }
}
