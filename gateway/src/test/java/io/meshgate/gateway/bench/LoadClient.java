package io.meshgate.gateway.bench;

import io.meshgate.gateway.bench.LoadOptions.ClientKind;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Opens one connection per virtual user, each sending the same POST again and again. */
interface LoadClient extends AutoCloseable {

  /** A new connection; it connects lazily and reconnects after a failure. */
  Connection open();

  @Override
  void close();

  static LoadClient of(
      ClientKind kind,
      URI url,
      byte[] body,
      Duration timeout,
      @org.jspecify.annotations.Nullable String authorization) {
    return switch (kind) {
      case RAW -> new RawSocketLoadClient(url, body, timeout, authorization);
      case JDK -> new JdkHttpLoadClient(url, body, timeout, authorization);
    };
  }

  /** One virtual user's keep-alive connection. Not thread-safe. */
  interface Connection extends Closeable {

    /**
     * Sends the request and waits for the whole answer.
     *
     * @throws IOException when no complete HTTP answer arrived (the connection is then dropped)
     */
    Answer exchange() throws IOException;

    @Override
    void close();
  }

  /**
   * An HTTP answer; {@code bytes} may be a buffer the connection reuses, valid until its next
   * exchange.
   *
   * @param status the HTTP status
   * @param bytes holds the body at {@code offset}, {@code length} bytes long
   */
  record Answer(int status, byte[] bytes, int offset, int length) {}
}
