package io.meshgate.launcher.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM running one of this package's {@code main} classes on the test class path, for tests that
 * kill a process outright: SIGKILL runs no shutdown hook and no {@code close()}, as in a real
 * crash.
 */
final class ChildJvm implements AutoCloseable {

  /** What a child prints once its server is up. */
  static final String READY = "READY";

  private final Process process;

  private ChildJvm(Process process) {
    this.process = process;
  }

  static ChildJvm start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
  }

  /** Blocks until the child prints {@link #READY}; fails with its output if it exits first. */
  void awaitReady() throws IOException {
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.equals(READY)) {
        // Keep draining so that the child never blocks on a full pipe.
        Thread.ofVirtual().start(() -> drain(output));
        return;
      }
      seen.add(line);
    }
    throw new AssertionError("Child JVM exited before it was ready:\n" + String.join("\n", seen));
  }

  private static void drain(BufferedReader output) {
    try {
      while (output.readLine() != null) {
        // discard
      }
    } catch (IOException e) {
      // The child was killed and its pipe closed: nothing left to drain.
    }
  }

  /** Kills the child with SIGKILL and waits for it to be gone. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("Child JVM " + process.pid() + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("Interrupted while killing child JVM " + process.pid(), e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
