package io.meshgate.gateway.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load, as k6 applies it: each virtual user sends its next request as soon as its last
 * one is answered, for a fixed time. Users are platform threads named {@code vu-N}, so their CPU
 * can be told apart from the subgraphs' (which run on virtual threads) in the same JVM.
 */
final class ClosedLoopLoad {

  /**
   * Pause of a user after a failed exchange, so a gateway that is down is not hammered in a tight
   * loop.
   */
  private static final long FAILURE_PAUSE_MILLIS = 50;

  private final LoadClient client;
  private final AnswerCheck check;
  private final int users;

  ClosedLoopLoad(LoadClient client, AnswerCheck check, int users) {
    this.client = client;
    this.check = check;
    this.users = users;
  }

  /**
   * Starts {@link #users} users that stop sending {@code duration} from now; answers in flight then
   * still count.
   */
  Phase start(String name, Duration duration) {
    return new Phase(name, duration);
  }

  /**
   * What one phase measured.
   *
   * @param name the phase, e.g. {@code run 2}
   * @param seconds from the start until the last user's last answer
   * @param answers HTTP answers received, whatever their status
   * @param correct answers equal to the expected one
   * @param mismatches HTTP 200 answers with another body
   * @param failures exchanges without a complete HTTP answer (connection refused or reset, timeout)
   * @param statusErrors answers with a status other than 200, by status
   * @param latencies of every HTTP answer
   * @param usersCpuSeconds CPU time of the users' threads, which have ended by the time anyone
   *     could read it from {@code /proc}
   */
  record Result(
      String name,
      double seconds,
      long answers,
      long correct,
      long mismatches,
      long failures,
      Map<Integer, Long> statusErrors,
      Latencies latencies,
      double usersCpuSeconds) {

    long statusErrorCount() {
      return statusErrors.values().stream().mapToLong(Long::longValue).sum();
    }

    double answersPerSecond() {
      return seconds == 0 ? 0 : answers / seconds;
    }

    double correctPerSecond() {
      return seconds == 0 ? 0 : correct / seconds;
    }

    boolean clean() {
      return answers == correct && failures == 0;
    }
  }

  /** A running phase: live counters for progress lines, {@link #await()} for the result. */
  final class Phase {

    private final String name;
    private final LongAdder answers = new LongAdder();
    private final LongAdder problems = new LongAdder();
    private final List<User> running = new ArrayList<>();
    private final CountDownLatch finished;
    private final long startNanos;
    private final long deadlineNanos;

    private Phase(String name, Duration duration) {
      this.name = name;
      this.finished = new CountDownLatch(users);
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < users; i++) {
        User user = new User(this, go);
        running.add(user);
        Thread thread = new Thread(user, "vu-" + (i + 1));
        thread.setDaemon(true);
        thread.start();
      }
      this.startNanos = System.nanoTime();
      this.deadlineNanos = startNanos + duration.toNanos();
      go.countDown();
    }

    long startNanos() {
      return startNanos;
    }

    /** Answers so far, any status. */
    long answers() {
      return answers.sum();
    }

    /** Failures, wrong statuses and mismatches so far. */
    long problems() {
      return problems.sum();
    }

    /** Waits until the users stopped or {@code timeout} passed; true when they stopped. */
    boolean awaitFor(Duration timeout) throws InterruptedException {
      return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    Result await() throws InterruptedException {
      finished.await();
      long lastAnswer = startNanos;
      long answered = 0;
      long correct = 0;
      long mismatches = 0;
      long failures = 0;
      Map<Integer, Long> statusErrors = new TreeMap<>();
      Latencies latencies = new Latencies();
      long cpuNanos = 0;
      for (User user : running) {
        cpuNanos += user.cpuNanos;
        lastAnswer = Math.max(lastAnswer, user.stoppedNanos);
        answered += user.answers;
        correct += user.correct;
        mismatches += user.mismatches;
        failures += user.failures;
        user.statusErrors.forEach((status, count) -> statusErrors.merge(status, count, Long::sum));
        latencies.addAll(user.latencies);
      }
      return new Result(
          name,
          (lastAnswer - startNanos) / 1e9,
          answered,
          correct,
          mismatches,
          failures,
          statusErrors,
          latencies,
          cpuNanos / 1e9);
    }
  }

  /** One virtual user; its counters are read by {@link Phase#await()} after the thread ended. */
  private final class User implements Runnable {

    private final Phase phase;
    private final CountDownLatch go;
    private final Latencies latencies = new Latencies();
    private final Map<Integer, Long> statusErrors = new TreeMap<>();
    private long answers;
    private long correct;
    private long mismatches;
    private long failures;
    private long stoppedNanos;
    private long cpuNanos;

    User(Phase phase, CountDownLatch go) {
      this.phase = phase;
      this.go = go;
    }

    @Override
    public void run() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuStart = threads.getCurrentThreadCpuTime();
      try (LoadClient.Connection connection = client.open()) {
        go.await();
        while (System.nanoTime() - phase.deadlineNanos < 0) {
          exchange(connection);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        stoppedNanos = System.nanoTime();
        cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        phase.finished.countDown();
      }
    }

    private void exchange(LoadClient.Connection connection) throws InterruptedException {
      long sent = System.nanoTime();
      LoadClient.Answer answer;
      try {
        answer = connection.exchange();
      } catch (IOException | RuntimeException e) {
        failures++;
        phase.problems.increment();
        check.reportFailure(phase.name, e);
        Thread.sleep(FAILURE_PAUSE_MILLIS);
        return;
      }
      latencies.record(System.nanoTime() - sent);
      answers++;
      phase.answers.increment();
      if (check.isCorrect(answer)) {
        correct++;
        return;
      }
      phase.problems.increment();
      if (answer.status() == 200) {
        mismatches++;
      } else {
        statusErrors.merge(answer.status(), 1L, Long::sum);
      }
      check.reportWrong(phase.name, answer);
    }
  }
}
