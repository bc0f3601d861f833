package io.meshgate.gateway.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Virtual users over {@link HttpClient}: one shared HTTP/1.1 client, whose pool keeps a connection
 * per concurrent request alive. Heavier on the load generator's CPU than {@link
 * RawSocketLoadClient}, but a second opinion on it.
 */
final class JdkHttpLoadClient implements LoadClient {

  private final HttpClient http;
  private final HttpRequest request;

  JdkHttpLoadClient(
      URI url,
      byte[] body,
      Duration timeout,
      @org.jspecify.annotations.Nullable String authorization) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .build();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    this.request = builder.build();
  }

  @Override
  public Connection open() {
    return new Connection() {
      @Override
      public Answer exchange() throws IOException {
        try {
          HttpResponse<byte[]> response =
              http.send(request, HttpResponse.BodyHandlers.ofByteArray());
          byte[] bytes = response.body();
          return new Answer(response.statusCode(), bytes, 0, bytes.length);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the gateway");
        }
      }

      @Override
      public void close() {
        // the pool belongs to the shared client
      }
    };
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
