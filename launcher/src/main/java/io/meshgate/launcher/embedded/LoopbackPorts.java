package io.meshgate.launcher.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP ports on the loopback address the embedded servers listen on. */
final class LoopbackPorts {

  static final String HOST = "127.0.0.1";

  private LoopbackPorts() {}

  /**
   * A port free at the time of the call. Another process may take it before the caller binds it, so
   * callers retry on a bind failure.
   */
  static int pickFree() {
    try (ServerSocket socket = bind(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free port on " + HOST, e);
    }
  }

  /**
   * Fails fast if {@code port} is taken: a server that cannot bind would otherwise be noticed only
   * after a startup timeout, or not at all if whatever holds the port answers the readiness probe.
   *
   * @param server what wants the port, for the message, e.g. "Embedded Kafka"
   * @throws IllegalStateException if something already listens on {@code port}
   */
  static void requireFree(int port, String server) {
    try {
      bind(port).close();
    } catch (IOException e) {
      throw new IllegalStateException(
          server + " cannot listen on " + HOST + ":" + port + ": the port is in use", e);
    }
  }

  static void requireValid(int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      // Lets a just-stopped server's port in TIME_WAIT count as free, as the server itself would.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
