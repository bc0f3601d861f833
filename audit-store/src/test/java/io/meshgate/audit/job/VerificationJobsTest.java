package io.meshgate.audit.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.meshgate.audit.chain.ChainBreak;
import io.meshgate.audit.store.VerificationProgress;
import io.meshgate.audit.store.VerificationReport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerificationJobsTest {

  private static final Duration LIMIT = Duration.ofSeconds(15);

  /** Verifies in steps of 10 entries, each step let through by the test. */
  private final PacedVerifier verifier = new PacedVerifier();

  private final VerificationJobs jobs = new VerificationJobs(verifier, 2, Clock.systemUTC());

  @AfterEach
  void close() {
    verifier.releaseAll();
    jobs.close();
  }

  @Test
  void startingWhileAJobRunsReturnsTheRunningJob() {
    verifier.sizes.put("sales", 30L);
    VerificationJobs.Start first = jobs.start("sales");
    VerificationJobs.Start again = jobs.start("sales");

    assertThat(first.started()).isTrue();
    assertThat(again.started()).isFalse();
    assertThat(again.job().id()).isEqualTo(first.job().id());
    assertThat(jobs.jobs("sales")).hasSize(1);
    // Another product's job is not held up by it.
    verifier.sizes.put("finance", 0L);
    assertThat(jobs.start("finance").started()).isTrue();
  }

  @Test
  void reportsProgressWhileRunningAndTheOutcomeOnceDone() {
    verifier.sizes.put("sales", 30L);
    String id = jobs.start("sales").job().id();

    verifier.step(); // 10 entries checked, then the job waits
    VerificationJob running = await(id, job -> job.entriesChecked() == 10);
    assertThat(running.state()).isEqualTo(JobState.RUNNING);
    assertThat(running.totalEntries()).isEqualTo(30);
    assertThat(running.valid()).isNull();
    assertThat(running.finishedAt()).isNull();

    verifier.releaseAll();
    VerificationJob done = await(id, job -> job.state().finished());
    assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(done.valid()).isTrue();
    assertThat(done.entriesChecked()).isEqualTo(30);
    assertThat(done.headsChecked()).isEqualTo(3);
    assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());

    // Once finished, a start begins a new job.
    VerificationJobs.Start next = jobs.start("sales");
    assertThat(next.started()).isTrue();
    assertThat(next.job().id()).isNotEqualTo(id);
  }

  @Test
  void aBreakFailsTheJobAndNamesIt() {
    verifier.sizes.put("sales", 30L);
    verifier.breakAt = 17;
    verifier.releaseAll();
    String id = jobs.start("sales").job().id();

    VerificationJob done = await(id, job -> job.state().finished());

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.valid()).isFalse();
    assertThat(done.firstBad()).isNotNull();
    assertThat(done.firstBad().seq()).isEqualTo(17);
    assertThat(done.entriesChecked()).isEqualTo(17);
    assertThat(done.error()).isNull();
  }

  @Test
  void aJobThatCannotFinishFailsWithTheReason() {
    verifier.sizes.put("sales", 30L);
    verifier.failWith = new IllegalStateException("connection refused");
    verifier.releaseAll();
    String id = jobs.start("sales").job().id();

    VerificationJob done = await(id, job -> job.state().finished());

    assertThat(done.state()).isEqualTo(JobState.FAILED);
    assertThat(done.valid()).isNull();
    assertThat(done.error()).contains("connection refused");
  }

  @Test
  void keepsTheLastFinishedJobsOfAProduct() {
    verifier.sizes.put("sales", 0L);
    String firstId = jobs.start("sales").job().id();
    await(firstId, job -> job.state().finished());
    for (int i = 0; i < VerificationJobs.FINISHED_KEPT_PER_PRODUCT; i++) {
      String id = jobs.start("sales").job().id();
      await(id, job -> job.state().finished());
    }

    assertThat(jobs.jobs("sales")).hasSize(VerificationJobs.FINISHED_KEPT_PER_PRODUCT);
    assertThat(jobs.job(firstId)).isEmpty();
  }

  @Test
  void closingStopsARunningJob() {
    verifier.sizes.put("sales", 30L);
    String id = jobs.start("sales").job().id();
    verifier.step();
    await(id, job -> job.entriesChecked() == 10);

    assertTimeoutPreemptively(LIMIT, jobs::close);

    VerificationJob stopped = jobs.job(id).orElseThrow();
    assertThat(stopped.state()).isEqualTo(JobState.FAILED);
    assertThat(stopped.error()).contains("stopped");
  }

  private VerificationJob await(String id, Predicate<VerificationJob> done) {
    return assertTimeoutPreemptively(
        LIMIT,
        () -> {
          while (true) {
            VerificationJob job = jobs.job(id).orElseThrow();
            if (done.test(job)) {
              return job;
            }
            Thread.sleep(10);
          }
        });
  }

  /** A log of a given size, verified ten entries per step the test allows. */
  private static final class PacedVerifier implements VerificationJobs.Verifier {
    final Map<String, Long> sizes = new ConcurrentHashMap<>();
    private final Semaphore steps = new Semaphore(0);
    volatile long breakAt = -1;
    volatile @Nullable RuntimeException failWith;

    void step() {
      steps.release();
    }

    void releaseAll() {
      steps.release(1_000_000);
    }

    @Override
    public long wholeLogSize(String product) {
      return sizes.get(product);
    }

    @Override
    public VerificationReport verify(String product, long toSeq, VerificationProgress progress) {
      for (long from = 0; from <= toSeq; from += 10) {
        try {
          steps.tryAcquire(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          throw new CancellationException("interrupted");
        }
        if (failWith != null) {
          throw failWith;
        }
        if (breakAt >= from && breakAt < from + 10) {
          return new VerificationReport.Invalid(
              product, new ChainBreak(breakAt, ChainBreak.Defect.HASH_MISMATCH, "changed"), 0);
        }
        progress.onProgress(
            new VerificationProgress.Progress(product, 0, toSeq, Math.min(toSeq, from + 9), 0));
      }
      return new VerificationReport.Valid(product, 0, toSeq, 3, 0);
    }
  }
}
