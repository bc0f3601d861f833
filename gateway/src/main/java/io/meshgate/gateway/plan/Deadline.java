package io.meshgate.gateway.plan;

import java.time.Duration;

/**
 * The instant by which a request must be answered. Planning checks it between fields and the
 * executor before each subgraph request (and bounds each request's wait by what is left), so a
 * request that has run out of time stops working instead of finishing an answer nobody waits for.
 */
public final class Deadline {

  private final long deadlineNanos;
  private final Duration budget;

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

  /** No deadline a request could meet (about 292 years): for callers that bound the work otherwise. */
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

  public boolean passed() {
    return deadlineNanos - System.nanoTime() <= 0;
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
      super("the request did not complete within its deadline of " + deadline.budget.toMillis() + " ms (while "
          + doing + ")", null, false, false);
    }
  }
}
