package io.meshgate.gateway.plan;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The instant by which a request must be answered. Planning checks it between fields and the
 * executor before each subgraph request (and bounds each request's wait by what is left), so a
 * request that has run out of time stops working instead of finishing an answer nobody waits for.
 *
 * <p>A deadline can also be cancelled before it passes (its client went away): from then on it
 * counts as passed, and every thread waiting on a subgraph for it is interrupted, which cancels the
 * subgraph request in flight.
 */
public final class Deadline {

  private final long deadlineNanos;
  private final Duration budget;
  private volatile @Nullable String cancelled;

  /** Threads waiting on a subgraph for this request, interrupted by {@link #cancel}. */
  private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();

  private Deadline(Duration budget) {
    this.budget = budget;
    this.deadlineNanos = System.nanoTime() + budget.toNanos();
  }

  /** A deadline {@code budget} from now. */
  public static Deadline after(Duration budget) {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("a request deadline must be positive, not " + budget);
    }
    return new Deadline(budget);
  }

  /**
   * No deadline a request could meet (about 292 years): for callers that bound the work otherwise.
   */
  public static Deadline none() {
    return new Deadline(Duration.ofNanos(Long.MAX_VALUE / 2));
  }

  /** The whole time the request was given. */
  public Duration budget() {
    return budget;
  }

  /** Time left; zero or negative once passed. */
  public Duration remaining() {
    return Duration.ofNanos(deadlineNanos - System.nanoTime());
  }

  /** True once the time is up or the request was cancelled. */
  public boolean passed() {
    return cancelled != null || deadlineNanos - System.nanoTime() <= 0;
  }

  /** Why the request was cancelled, or null while it was not. */
  public @Nullable String cancelled() {
    return cancelled;
  }

  /**
   * Gives up the request: nothing more is planned or sent for it, and the threads waiting on a
   * subgraph for it are interrupted (their requests are cancelled). Later calls do nothing.
   *
   * @param reason why, for the errors and logs of the abandoned work
   */
  public void cancel(String reason) {
    synchronized (this) {
      if (cancelled != null) {
        return;
      }
      cancelled = reason;
    }
    waiting.forEach(Thread::interrupt);
  }

  /**
   * Registers the calling thread to be interrupted if the request is cancelled while it waits;
   * close the returned registration when the wait is over.
   */
  public Wait waiting() {
    Thread thread = Thread.currentThread();
    waiting.add(thread);
    if (cancelled != null) {
      thread.interrupt();
    }
    return () -> waiting.remove(thread);
  }

  /** A thread's registration to be interrupted on {@link #cancel}; closing it ends the wait. */
  @FunctionalInterface
  public interface Wait extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Throws when the deadline has passed.
   *
   * @throws Exceeded naming what was about to be done
   */
  public void check(String doing) {
    if (passed()) {
      throw new Exceeded(this, doing);
    }
  }

  /** The request's deadline passed; the message says what was left undone. */
  public static final class Exceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exceeded(Deadline deadline, String doing) {
      super(
          deadline.cancelled != null
              ? "the request was cancelled (" + deadline.cancelled + ") while " + doing
              : "the request did not complete within its deadline of "
                  + deadline.budget.toMillis()
                  + " ms (while "
                  + doing
                  + ")",
          null,
          false,
          false);
    }
  }
}
