package io.meshgate.launcher.it;

import io.meshgate.launcher.LauncherSettings;
import io.meshgate.launcher.Mesh;
import io.meshgate.launcher.MeshLauncher;
import io.meshgate.launcher.embedded.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded mesh (Postgres, Kafka, every product) per test JVM: starting it costs seconds, so
 * the integration tests share it and each works on its own rows. Stopped when the JVM ends.
 */
final class SharedMesh {

  private static Mesh mesh;

  private SharedMesh() {}

  static synchronized Mesh get() {
    if (mesh == null) {
      Path dir;
      try {
        dir = Files.createTempDirectory("meshgate-it-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      mesh = start(dir, true);
      Mesh started = mesh;
      // One hook, in order: the broker must be down before its log directory goes, or it halts
      // the JVM over a failed log directory.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    deleteQuietly(dir);
                  },
                  "meshgate-it-shutdown"));
    }
    return mesh;
  }

  /** A mesh of its own on {@code dataDir}, for tests that stop and restart it. */
  static Mesh start(Path dataDir, boolean sampleData) {
    MeshLauncher.routeLogging();
    // Tests read query plans to check how the gateway routes; a deployment opts in the same way.
    return Mesh.start(
        new LauncherSettings(
            dataDir,
            null,
            null,
            "postgres",
            "postgres",
            0,
            0,
            0,
            sampleData,
            0,
            java.util.Map.of("*", 0),
            0,
            EmbeddedPostgresServer.DEFAULT_MAX_SLOT_WAL_KEEP_SIZE,
            true));
  }

  static Path tempDir(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: temp files
    }
  }
}
