package io.meshgate.launcher;

import io.meshgate.launcher.simulate.TrafficSimulator;
import io.meshgate.runtime.startup.UnreachableException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * {@code meshgate run}: starts the whole mesh and serves until Ctrl-C. Startup problems are one
 * clear line on standard error and exit code 2, never a wall of stack traces.
 */
public final class MeshLauncher {

  private MeshLauncher() {}

  public static void main(String[] args) {
    routeLogging();
    PrintStream err = System.err;
    if (LauncherSettings.helpRequested(args)) {
      System.out.println(LauncherSettings.usage());
      return;
    }
    LauncherSettings settings;
    try {
      settings = LauncherSettings.parse(args, System::getenv);
    } catch (IllegalArgumentException e) {
      err.println("meshgate: " + e.getMessage());
      System.exit(2);
      return;
    }
    long start = System.nanoTime();
    Mesh mesh;
    try {
      mesh = Mesh.start(settings);
    } catch (RuntimeException e) {
      err.println("meshgate: " + describe(e));
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    TrafficSimulator simulator =
        settings.simulate() > 0
            ? new TrafficSimulator(mesh.gatewayUrl(), settings.simulate(), order -> {})
            : null;
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("meshgate-shutdown")
                .unstarted(
                    () -> {
                      System.out.println(
                          "meshgate: stopping (flushing capture offsets, closing Kafka and"
                              + " Postgres)...");
                      if (simulator != null) {
                        simulator.close();
                      }
                      mesh.close();
                      stopped.countDown();
                      System.out.println("meshgate: stopped cleanly.");
                    }));
    StringBuilder products = new StringBuilder();
    for (String name : mesh.productNames()) {
      String url = mesh.productUrl(name).toString();
      products.append(
          String.format(
              "  %-22s %s/graphql   (GraphiQL: %s/graphiql)%n", name + " subgraph", url, url));
    }
    for (String name : mesh.serviceNames()) {
      String url = mesh.serviceUrl(name).toString();
      products.append(
          String.format(
              "  %-22s %s/graphql   (GraphiQL: %s/graphiql)%n", name + " subgraph", url, url));
    }
    System.out.printf(
        """

        Meshgate is up (%.1f s).
        %s  Kafka                  %s
          data directory         %s
        Press Ctrl-C to stop; a restart resumes where it stopped.

        Open the mesh (one graph, every product):
          GraphQL   %s/graphql
          GraphiQL  %s/graphiql
        %n\
        """,
        Mesh.since(start).toMillis() / 1000.0,
        products,
        mesh.kafkaBootstrapServers(),
        settings.dataDir().toAbsolutePath(),
        mesh.gatewayUrl(),
        mesh.gatewayUrl());
    if (simulator != null) {
      try {
        simulator.start();
        System.out.printf(
            "Simulator: placing %d orders/s through the gateway, shipping, cancelling and paying"
                + " some (progress in the log every 10 s).%n%n",
            settings.simulate());
      } catch (IOException | RuntimeException e) {
        err.println("meshgate: the traffic simulator could not start: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One logging configuration for the whole process: several Spring applications share this JVM, so
   * none of them may reinitialize logging, and Tomcat's java.util.logging goes to SLF4J.
   */
  public static void routeLogging() {
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
  }

  /** The one line a person needs: the root problem, not the chain of wrappers. */
  static String describe(Throwable failure) {
    Throwable cause = failure;
    @Nullable Throwable next = cause;
    while (next != null) {
      if (next instanceof UnreachableException unreachable) {
        return unreachable.getMessage();
      }
      cause = next;
      next = next.getCause() == next ? null : next.getCause();
    }
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
