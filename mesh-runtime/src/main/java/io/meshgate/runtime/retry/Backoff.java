package io.meshgate.runtime.retry;

import java.time.Duration;

/**
 * The pauses between attempts at something that fails for a while (a broker restarting, a database
 * failing over): the first pause, doubled after each failure up to a cap, and the first again after
 * a success. Each retrying loop keeps its own; not for sharing between threads.
 */
public final class Backoff {

  private final Duration first;
  private final Duration max;
  private Duration current;

  private Backoff(Duration first, Duration max) {
    this.first = first;
    this.max = max;
    this.current = first;
  }

  /**
   * Pauses that start at {@code first} and double up to {@code max}.
   *
   * @throws IllegalArgumentException unless {@code 0 < first <= max}
   */
  public static Backoff doubling(Duration first, Duration max) {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "a backoff needs 0 < first <= max, not first " + first + " and max " + max);
    }
    return new Backoff(first, max);
  }

  /** The pause before the next attempt; the one after it is twice as long, up to the cap. */
  public Duration next() {
    Duration pause = current;
    Duration doubled = current.multipliedBy(2);
    current = doubled.compareTo(max) > 0 ? max : doubled;
    return pause;
  }

  /** After a success: the next failure waits the first pause again. */
  public void reset() {
    current = first;
  }
}
