package io.meshgate.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * Stops what was started, newest first, then deletes a temporary data directory; once, whether the
 * run ends, fails or is interrupted with Ctrl-C.
 */
final class Teardown {

  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private @Nullable Path deleteAtEnd;
  private boolean done;

  synchronized <T extends AutoCloseable> T close(T resource) {
    toClose.push(resource);
    return resource;
  }

  synchronized void deleteAtEnd(Path directory) {
    deleteAtEnd = directory;
  }

  synchronized void run() {
    if (done) {
      return;
    }
    done = true;
    while (!toClose.isEmpty()) {
      AutoCloseable next = toClose.pop();
      try {
        next.close();
      } catch (Exception e) {
        System.err.println("bench: error while stopping " + next + ": " + e);
      }
    }
    Path directory = deleteAtEnd;
    if (directory != null) {
      deleteRecursively(directory);
    }
  }

  private static void deleteRecursively(Path directory) {
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException e)
                throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      System.err.println("bench: could not delete " + directory + ": " + e.getMessage());
    }
  }
}
