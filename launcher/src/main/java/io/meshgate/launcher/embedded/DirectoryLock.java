package io.meshgate.launcher.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * An exclusive OS file lock that marks a data directory as owned by one server, across processes
 * and within this JVM.
 */
final class DirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code lockFile}, creating it if needed.
   *
   * @param owner what the directory holds, for the message, e.g. "Kafka data directory /x"
   * @throws IllegalStateException if another process or another server in this JVM holds the lock
   */
  static DirectoryLock acquire(Path lockFile, String owner) {
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open lock file " + lockFile, e);
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        return new DirectoryLock(channel, lock);
      }
      closeQuietly(channel);
      throw inUse(owner, null);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(owner, e); // file locks belong to the JVM: another server in this one holds it
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("Could not lock " + lockFile, e);
    }
  }

  private static IllegalStateException inUse(String owner, @Nullable Throwable cause) {
    return new IllegalStateException(owner + " is in use by another running server", cause);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not release directory lock", e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a channel whose lock we failed to take frees nothing we could still lose.
    }
  }
}
