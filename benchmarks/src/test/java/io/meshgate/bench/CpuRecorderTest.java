package io.meshgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder over this test's own JVM: threads it starts show under their parts. */
class CpuRecorderTest {

  private static final long BURN_NANOS = 300_000_000L;

  @TempDir Path noPostgres;

  @Test
  void countsAThreadsCpuUnderThePartItsNameOrGroupGives() throws Exception {
    assumeThat(ManagementFactory.getThreadMXBean().isThreadCpuTimeEnabled()).isTrue();
    CountDownLatch stopped = new CountDownLatch(1);
    CpuBreakdown breakdown;
    try (CpuRecorder recorder = CpuRecorder.start(noPostgres)) {
      Thread writer = burner("bench-writer-0", Thread.currentThread().getThreadGroup(), stopped);
      // A library's pool thread, started inside a product's capture group.
      Thread engine = burner("pool-99-thread-1", new ThreadGroup("meshgate-demo-capture"), stopped);
      waitUntilBurnt(writer, engine);
      breakdown = recorder.stop();
    } finally {
      stopped.countDown();
    }

    assertThat(breakdown.parts())
        .hasEntrySatisfying(
            new ThreadParts.Part(ThreadParts.HARNESS, "writers (JDBC commits)"),
            nanos -> assertThat(nanos).isGreaterThanOrEqualTo(BURN_NANOS))
        .hasEntrySatisfying(
            new ThreadParts(java.util.Set.of()).of("pool-99-thread-1", "meshgate-demo-capture"),
            nanos -> assertThat(nanos).isGreaterThanOrEqualTo(BURN_NANOS));
    assertThat(breakdown.jvmNanos()).isGreaterThanOrEqualTo(2 * BURN_NANOS);
  }

  @Test
  void findsTheJvmsOwnThreadsWhereLinuxListsThem() {
    assumeThat(Files.isDirectory(Path.of("/proc/self/task"))).isTrue();
    CpuBreakdown breakdown;
    try (CpuRecorder recorder = CpuRecorder.start(noPostgres)) {
      // Garbage to collect, so that the collector's threads have something to do.
      for (int i = 0; i < 200; i++) {
        byte[][] garbage = new byte[1_000][];
        for (int j = 0; j < garbage.length; j++) {
          garbage[j] = new byte[1_000];
        }
      }
      System.gc();
      breakdown = recorder.stop();
    }

    assertThat(breakdown.parts()).containsKey(ThreadParts.GC);
  }

  private static Thread burner(String name, ThreadGroup group, CountDownLatch stopped) {
    return Thread.ofPlatform()
        .group(group)
        .name(name)
        .daemon(true)
        .start(
            () -> {
              ThreadMXBean threads = ManagementFactory.getThreadMXBean();
              long sum = 0;
              while (threads.getCurrentThreadCpuTime() < BURN_NANOS) {
                for (int i = 0; i < 100_000; i++) {
                  sum += i * 31L;
                }
              }
              // Alive until the window ends, so that its CPU is seen at the end.
              try {
                stopped.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              if (sum == 42) {
                System.out.println(sum);
              }
            });
  }

  private static void waitUntilBurnt(Thread... burners) throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Thread burner : burners) {
      while (threads.getThreadCpuTime(burner.threadId()) < BURN_NANOS) {
        Thread.sleep(10);
      }
    }
  }
}
