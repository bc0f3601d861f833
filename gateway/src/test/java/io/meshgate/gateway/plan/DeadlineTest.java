package io.meshgate.gateway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DeadlineTest {

  @Test
  void aCancelledDeadlineCountsAsPassedAndSaysWhy() {
    Deadline deadline = Deadline.after(Duration.ofMinutes(1));
    assertThat(deadline.passed()).isFalse();

    deadline.cancel("its client closed the connection");

    assertThat(deadline.passed()).isTrue();
    assertThat(deadline.cancelled()).isEqualTo("its client closed the connection");
    assertThatThrownBy(() -> deadline.check("planning"))
        .isInstanceOf(Deadline.Exceeded.class)
        .hasMessageContaining("cancelled (its client closed the connection) while planning");
  }

  @Test
  void cancellingInterruptsTheThreadsWaitingForTheRequestAndOnlyThose() throws Exception {
    Deadline deadline = Deadline.after(Duration.ofMinutes(1));
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Deadline.Wait wait = deadline.waiting()) {
                    waiting.countDown();
                    Thread.sleep(Duration.ofMinutes(1));
                  } catch (InterruptedException e) {
                    interrupted.set(true);
                  }
                });
    AtomicBoolean finishedWaitInterrupted = new AtomicBoolean();
    CountDownLatch left = new CountDownLatch(1);
    CountDownLatch cancelled = new CountDownLatch(1);
    Thread done =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (Deadline.Wait wait = deadline.waiting()) {
                    // registered and left before the cancel
                  }
                  left.countDown();
                  try {
                    cancelled.await();
                    Thread.sleep(300);
                  } catch (InterruptedException e) {
                    finishedWaitInterrupted.set(true);
                  }
                });
    assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(left.await(5, TimeUnit.SECONDS)).isTrue();

    deadline.cancel("gone");
    cancelled.countDown();

    waiter.join(5_000);
    done.join(5_000);
    assertThat(interrupted).isTrue();
    assertThat(finishedWaitInterrupted).isFalse();
  }

  @Test
  void aThreadThatStartsWaitingAfterTheCancelIsInterruptedAtOnce() {
    Deadline deadline = Deadline.after(Duration.ofMinutes(1));
    deadline.cancel("gone");
    try (Deadline.Wait wait = deadline.waiting()) {
      assertThat(Thread.interrupted()).isTrue();
    }
  }
}
