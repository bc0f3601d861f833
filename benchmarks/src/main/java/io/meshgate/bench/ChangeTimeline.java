package io.meshgate.bench;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each change (by sequence number) was due, sent, committed, captured, seen on Kafka and
 * visible through the subgraph. Times are nanoseconds on one monotonic clock; 0 means "not yet".
 */
final class ChangeTimeline {

  private final long originNanos = System.nanoTime() - 1;
  private final long originEpochNanos = epochNanos(Instant.now());

  final AtomicLongArray intended;
  final AtomicLongArray sent;
  final AtomicLongArray committed;
  final AtomicLongArray captured;
  final AtomicLongArray onKafka;
  final AtomicLongArray visible;
  final AtomicLong commitCount = new AtomicLong();
  final AtomicLong visibleCount = new AtomicLong();

  ChangeTimeline(int capacity) {
    intended = new AtomicLongArray(capacity);
    sent = new AtomicLongArray(capacity);
    committed = new AtomicLongArray(capacity);
    captured = new AtomicLongArray(capacity);
    onKafka = new AtomicLongArray(capacity);
    visible = new AtomicLongArray(capacity);
  }

  int capacity() {
    return committed.length();
  }

  /** Now on this timeline's clock (always positive). */
  long now() {
    return System.nanoTime() - originNanos;
  }

  /**
   * A wall-clock instant from this JVM (such as an event's capture time) on this timeline's clock.
   * Good to well under a millisecond unless the system clock is stepped during the run.
   */
  long fromWallClock(Instant instant) {
    return Math.max(1, epochNanos(instant) - originEpochNanos + 1);
  }

  void markCommitted(long seq, long at) {
    committed.set((int) seq, at);
    commitCount.incrementAndGet();
  }

  /**
   * Records the first sighting of {@code seq} through the subgraph; false if it was seen before.
   */
  boolean markVisible(long seq, long at) {
    if (visible.compareAndSet((int) seq, 0, at)) {
      visibleCount.incrementAndGet();
      return true;
    }
    return false;
  }

  private static long epochNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
