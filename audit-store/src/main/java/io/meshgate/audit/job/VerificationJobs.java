package io.meshgate.audit.job;

import io.meshgate.audit.chain.ChainBreak;
import io.meshgate.audit.store.AuditLog;
import io.meshgate.audit.store.VerificationProgress;
import io.meshgate.audit.store.VerificationReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifications of whole product logs, run in the background on a fixed number of threads: a
 * request starts one ({@link #start}) and polls it ({@link #job}); it never waits for one.
 *
 * <p>At most one job per product is active (queued or running) at a time: starting another while
 * one is active returns the active one, since a second pass over the same rows would only repeat
 * it. A job verifies the log as it stood when it was started (entries appended later are left to
 * the next job), logs its progress, and is kept after it finished together with the last {@value
 * #FINISHED_KEPT_PER_PRODUCT} finished jobs of its product; jobs live in memory, so a restart
 * forgets them and stops the running ones.
 *
 * <p>Thread-safe.
 */
public final class VerificationJobs implements AutoCloseable {

  /** Finished jobs kept per product, for polling after they ended. */
  public static final int FINISHED_KEPT_PER_PRODUCT = 10;

  private static final Logger log = LoggerFactory.getLogger(VerificationJobs.class);

  /** What a job runs. {@link AuditLog} in production; tests can pace it. */
  public interface Verifier {

    /** Entries a verification of the product's whole log covers now. */
    long wholeLogSize(String product);

    /** Verifies seqs {@code 0} to {@code toSeq} of the product's log, reporting progress. */
    VerificationReport verify(String product, long toSeq, VerificationProgress progress);

    /** Verifies with {@code auditLog}. */
    static Verifier of(AuditLog auditLog) {
      return new Verifier() {
        @Override
        public long wholeLogSize(String product) {
          return auditLog.wholeLogSize(product);
        }

        @Override
        public VerificationReport verify(
            String product, long toSeq, VerificationProgress progress) {
          return auditLog.verify(product, 0, toSeq, progress);
        }
      };
    }
  }

  /**
   * A start's outcome.
   *
   * @param job the job now active for the product
   * @param started false when that job was already active and is returned instead of a new one
   */
  public record Start(VerificationJob job, boolean started) {}

  private final Verifier verifier;
  private final Clock clock;
  private final ExecutorService threads;
  private final Object lock = new Object();

  /** Guarded by {@link #lock}. */
  private final Map<String, Job> byId = new HashMap<>();

  /** Guarded by {@link #lock}. */
  private final Map<String, Job> active = new HashMap<>();

  /** Guarded by {@link #lock}: each product's finished jobs, oldest first. */
  private final Map<String, Deque<Job>> finished = new LinkedHashMap<>();

  /**
   * @param verifier what the jobs run
   * @param threadCount jobs that run at once (across products); more wait, queued
   * @param clock the times jobs report
   */
  public VerificationJobs(Verifier verifier, int threadCount, Clock clock) {
    if (threadCount < 1) {
      throw new IllegalArgumentException("threadCount must be >= 1: " + threadCount);
    }
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clock = Objects.requireNonNull(clock, "clock");
    AtomicInteger number = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            threadCount,
            runnable -> {
              Thread thread =
                  new Thread(runnable, "audit-verification-" + number.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Starts verifying the product's whole log, unless a job for it is active: then that one is
   * returned.
   *
   * @throws IllegalStateException once closed
   */
  public Start start(String product) {
    long total = verifier.wholeLogSize(product);
    synchronized (lock) {
      Job running = active.get(product);
      if (running != null) {
        return new Start(running.snapshot(), false);
      }
      Job job = new Job(UUID.randomUUID().toString(), product, total, clock.instant());
      // Registered before it can run, so that a job finishing at once is not left behind as active.
      active.put(product, job);
      byId.put(job.id, job);
      try {
        threads.execute(job);
      } catch (RejectedExecutionException e) {
        active.remove(product);
        byId.remove(job.id);
        throw new IllegalStateException(
            "the audit service is stopping; no verification is started", e);
      }
      log.info("Verification job {} of {}'s audit log started: {} entries", job.id, product, total);
      return new Start(job.snapshot(), true);
    }
  }

  /** The job with this id, while it is active or among the last finished of its product. */
  public Optional<VerificationJob> job(String id) {
    synchronized (lock) {
      return Optional.ofNullable(byId.get(id)).map(Job::snapshot);
    }
  }

  /** The product's active job and its last finished ones, newest first. */
  public List<VerificationJob> jobs(String product) {
    List<Job> jobs = new ArrayList<>();
    synchronized (lock) {
      Optional.ofNullable(active.get(product)).ifPresent(jobs::add);
      jobs.addAll(finished.getOrDefault(product, new ArrayDeque<>()));
    }
    return jobs.stream()
        .map(Job::snapshot)
        .sorted(Comparator.comparing(VerificationJob::startedAt).reversed())
        .toList();
  }

  private void finished(Job job) {
    synchronized (lock) {
      active.remove(job.product, job);
      Deque<Job> done = finished.computeIfAbsent(job.product, product -> new ArrayDeque<>());
      done.addLast(job);
      while (done.size() > FINISHED_KEPT_PER_PRODUCT) {
        byId.remove(done.removeFirst().id);
      }
    }
  }

  /** Stops the running jobs (they end FAILED) and drops the queued ones. */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("Verification jobs still running 10 s after they were told to stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One job: its progress written by its thread, read by whoever polls. */
  private final class Job implements Runnable {
    private final String id;
    private final String product;
    private final long total;
    private final Instant startedAt;
    private volatile JobState state = JobState.QUEUED;
    private volatile long checked;
    private volatile int headsChecked;
    private volatile @Nullable Instant finishedAt;
    private volatile @Nullable ChainBreak firstBad;
    private volatile @Nullable String error;

    Job(String id, String product, long total, Instant startedAt) {
      this.id = id;
      this.product = product;
      this.total = total;
      this.startedAt = startedAt;
    }

    VerificationJob snapshot() {
      // State last: a reader that sees a finished state sees everything written before it.
      JobState seen = state;
      return new VerificationJob(
          id, product, seen, total, checked, headsChecked, startedAt, finishedAt, firstBad, error);
    }

    @Override
    public void run() {
      state = JobState.RUNNING;
      long began = System.nanoTime();
      try {
        VerificationReport report = verifier.verify(product, total - 1, this::progressed);
        switch (report) {
          case VerificationReport.Valid valid -> {
            checked = total;
            headsChecked = valid.headsChecked();
            finish(JobState.SUCCEEDED);
            log.info(
                "Verification job {}: {}'s audit log is intact: {} entries and {} signed heads"
                    + " checked in {}",
                id,
                product,
                total,
                valid.headsChecked(),
                Duration.ofNanos(System.nanoTime() - began));
          }
          case VerificationReport.Invalid invalid -> {
            checked = Math.max(0, invalid.seq());
            firstBad = invalid.firstBad();
            finish(JobState.FAILED);
            log.warn(
                "Verification job {}: {}'s audit log is broken at {}",
                id,
                product,
                invalid.firstBad());
          }
        }
      } catch (CancellationException e) {
        error = "stopped before it finished: the audit service shut down";
        finish(JobState.FAILED);
        log.info(
            "Verification job {} of {} stopped at {} of {} entries", id, product, checked, total);
      } catch (RuntimeException e) {
        error = "could not finish: " + e.getMessage();
        finish(JobState.FAILED);
        log.warn("Verification job {} of {} could not finish", id, product, e);
      }
    }

    private void progressed(VerificationProgress.Progress progress) {
      checked = progress.entriesVerified();
      log.info(
          "Verification job {}: {} of {} entries of {}'s audit log verified ({}%)",
          id, checked, total, product, String.format("%.1f", 100 * progress.fractionDone()));
    }

    private void finish(JobState end) {
      // Under the lock with the move out of the active jobs: whoever sees this job finished (every
      // reader takes the lock) may start the next one at once.
      synchronized (lock) {
        finishedAt = clock.instant();
        state = end;
        finished(this);
      }
    }
  }
}
