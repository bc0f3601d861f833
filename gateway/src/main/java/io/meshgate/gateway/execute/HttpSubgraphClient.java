package io.meshgate.gateway.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.gateway.plan.Deadline;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Talks to subgraphs over HTTP/1.1 with pooled keep-alive connections and non-blocking I/O: no
 * thread waits on a subgraph. Each subgraph has its own timeout.
 */
public final class HttpSubgraphClient implements SubgraphClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, URI> urls;
  private final Map<String, Duration> timeouts;
  private final Duration defaultTimeout;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final boolean deduplicate;
  private final Map<String, CompletableFuture<JsonNode>> inflight = new ConcurrentHashMap<>();
  private final long maxResponseBytes;

  /** Largest subgraph response read by default: 16 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L * 1024 * 1024;

  /**
   * @param urls subgraph name to URL
   * @param timeouts per-subgraph timeouts (others use {@code defaultTimeout})
   */
  public HttpSubgraphClient(
      Map<String, URI> urls, Map<String, Duration> timeouts, Duration defaultTimeout) {
    this(urls, timeouts, defaultTimeout, false);
  }

  /**
   * @param deduplicate identical queries in flight to one subgraph share one request (mutations
   *     never do)
   */
  public HttpSubgraphClient(
      Map<String, URI> urls,
      Map<String, Duration> timeouts,
      Duration defaultTimeout,
      boolean deduplicate) {
    this(urls, timeouts, defaultTimeout, deduplicate, DEFAULT_MAX_RESPONSE_BYTES);
  }

  /**
   * @param maxResponseBytes largest response body read from a subgraph; a larger one is cut off
   *     (the connection dropped) and fails with {@code SUBGRAPH_RESPONSE_TOO_LARGE}
   */
  public HttpSubgraphClient(
      Map<String, URI> urls,
      Map<String, Duration> timeouts,
      Duration defaultTimeout,
      boolean deduplicate,
      long maxResponseBytes) {
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException(
          "the largest subgraph response must be positive: " + maxResponseBytes);
    }
    this.maxResponseBytes = maxResponseBytes;
    this.deduplicate = deduplicate;
    this.urls = Map.copyOf(urls);
    this.timeouts = Map.copyOf(timeouts);
    this.defaultTimeout = defaultTimeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
  }

  @Override
  public CompletableFuture<JsonNode> execute(String subgraph, String query, ObjectNode variables) {
    URI url = urls.get(subgraph);
    if (url == null) {
      return CompletableFuture.failedFuture(
          new SubgraphException(
              subgraph,
              "SUBGRAPH_REQUEST_FAILED",
              "no URL configured for subgraph '" + subgraph + "'"));
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("query", query);
    if (!variables.isEmpty()) {
      body.set("variables", variables);
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (deduplicate && !query.startsWith("mutation")) {
      String key = subgraph + "\u0000" + new String(bytes, StandardCharsets.UTF_8);
      CompletableFuture<JsonNode> shared = inflight.get(key);
      if (shared != null) {
        return shared;
      }
      CompletableFuture<JsonNode> created = send(subgraph, url, bytes);
      CompletableFuture<JsonNode> raced = inflight.putIfAbsent(key, created);
      if (raced != null) {
        return raced;
      }
      created.whenComplete((r, e) -> inflight.remove(key, created));
      return created;
    }
    return send(subgraph, url, bytes);
  }

  private CompletableFuture<JsonNode> send(String subgraph, URI url, byte[] bytes) {
    Duration timeout = timeouts.getOrDefault(subgraph, defaultTimeout);
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/graphql-response+json, application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    return http.sendAsync(request, this::boundedBody)
        .handle(
            (response, error) -> {
              if (error != null) {
                Throwable cause =
                    error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
                if (tooLarge(cause) != null) {
                  throw responseTooLarge(subgraph);
                }
                if (cause instanceof HttpTimeoutException) {
                  throw new SubgraphException(
                      subgraph,
                      "SUBGRAPH_TIMEOUT",
                      "subgraph '"
                          + subgraph
                          + "' did not answer within "
                          + timeout.toMillis()
                          + " ms");
                }
                throw new SubgraphException(
                    subgraph,
                    "SUBGRAPH_REQUEST_FAILED",
                    "request to subgraph '" + subgraph + "' failed: " + describe(cause));
              }
              return parse(subgraph, response);
            });
  }

  @Override
  public JsonNode send(String subgraph, String query, ObjectNode variables) {
    return send(subgraph, query, variables, Deadline.none());
  }

  /**
   * Waits at most the subgraph's timeout or until the deadline, whichever comes first; an
   * interrupted wait cancels the request.
   */
  @Override
  public JsonNode send(String subgraph, String query, ObjectNode variables, Deadline deadline) {
    if (deduplicate) {
      return SubgraphClient.super.send(subgraph, query, variables, deadline);
    }
    URI url = urls.get(subgraph);
    if (url == null) {
      throw new SubgraphException(
          subgraph, "SUBGRAPH_REQUEST_FAILED", "no URL configured for subgraph '" + subgraph + "'");
    }
    Duration timeout = timeouts.getOrDefault(subgraph, defaultTimeout);
    Duration left = deadline.remaining();
    if (deadline.passed()) {
      throw SubgraphException.deadlinePassed(subgraph, deadline);
    }
    boolean deadlineFirst = left.compareTo(timeout) < 0;
    HttpRequest request = request(url, body(query, variables), deadlineFirst ? left : timeout);
    HttpResponse<byte[]> response;
    try (Deadline.Wait wait = deadline.waiting()) {
      response = http.send(request, this::boundedBody);
    } catch (HttpTimeoutException e) {
      if (deadlineFirst) {
        throw SubgraphException.deadlinePassed(subgraph, deadline);
      }
      throw new SubgraphException(
          subgraph,
          "SUBGRAPH_TIMEOUT",
          "subgraph '" + subgraph + "' did not answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      if (tooLarge(e) != null) {
        throw responseTooLarge(subgraph);
      }
      throw new SubgraphException(
          subgraph,
          "SUBGRAPH_REQUEST_FAILED",
          "request to subgraph '" + subgraph + "' failed: " + describe(e));
    } catch (InterruptedException e) {
      // The client's send was interrupted, which cancels its exchange (and closes its connection).
      if (deadline.cancelled() != null) {
        throw SubgraphException.deadlinePassed(subgraph, deadline);
      }
      Thread.currentThread().interrupt();
      throw new SubgraphException(
          subgraph, "SUBGRAPH_REQUEST_FAILED", "interrupted while waiting for '" + subgraph + "'");
    }
    return parse(subgraph, response);
  }

  private SubgraphException responseTooLarge(String subgraph) {
    return new SubgraphException(
        subgraph,
        "SUBGRAPH_RESPONSE_TOO_LARGE",
        "subgraph '"
            + subgraph
            + "' answered with more than "
            + maxResponseBytes
            + " bytes, the most the gateway reads from one subgraph");
  }

  private static @Nullable ResponseTooLarge tooLarge(@Nullable Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof ResponseTooLarge tooLarge) {
        return tooLarge;
      }
    }
    return null;
  }

  /**
   * Reads the body into memory up to {@link #maxResponseBytes}; beyond it, stops reading and fails.
   */
  private HttpResponse.BodySubscriber<byte[]> boundedBody(HttpResponse.ResponseInfo info) {
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    return new BoundedBody(HttpResponse.BodySubscribers.ofByteArray(), maxResponseBytes, declared);
  }

  /** A response body over the limit; an {@link IOException} so that both send paths report it. */
  private static final class ResponseTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseTooLarge(long limit) {
      super("the response is larger than " + limit + " bytes");
    }
  }

  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final HttpResponse.BodySubscriber<byte[]> delegate;
    private final long limit;
    private final long declared;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private long received;
    private Flow.@Nullable Subscription subscription;

    BoundedBody(HttpResponse.BodySubscriber<byte[]> delegate, long limit, long declared) {
      this.delegate = delegate;
      this.limit = limit;
      this.declared = declared;
      delegate
          .getBody()
          .whenComplete(
              (bytes, error) -> {
                if (error != null) {
                  body.completeExceptionally(error);
                } else {
                  body.complete(bytes);
                }
              });
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      if (declared > limit) {
        subscription.cancel();
        body.completeExceptionally(new ResponseTooLarge(limit));
        return;
      }
      delegate.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer buffer : item) {
        received += buffer.remaining();
      }
      if (received > limit) {
        Flow.Subscription current = subscription;
        if (current != null) {
          current.cancel();
        }
        body.completeExceptionally(new ResponseTooLarge(limit));
        return;
      }
      delegate.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      if (!body.isDone()) {
        delegate.onError(throwable);
      }
    }

    @Override
    public void onComplete() {
      if (!body.isDone()) {
        delegate.onComplete();
      }
    }
  }

  private static byte[] body(String query, ObjectNode variables) {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", query);
    if (!variables.isEmpty()) {
      body.set("variables", variables);
    }
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpRequest request(URI url, byte[] bytes, Duration timeout) {
    return HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/graphql-response+json, application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
  }

  private static JsonNode parse(String subgraph, HttpResponse<byte[]> response) {
    JsonNode document;
    try {
      document = JSON.readTree(response.body());
    } catch (IOException e) {
      document = null;
    }
    boolean graphQlResponse =
        document != null && document.isObject() && (document.has("data") || document.has("errors"));
    if (response.statusCode() / 100 != 2 && !graphQlResponse) {
      throw new SubgraphException(
          subgraph,
          "SUBGRAPH_REQUEST_FAILED",
          "subgraph '" + subgraph + "' answered HTTP " + response.statusCode());
    }
    if (!graphQlResponse) {
      throw new SubgraphException(
          subgraph,
          "SUBGRAPH_INVALID_RESPONSE",
          "subgraph '" + subgraph + "' sent a response that is not a GraphQL response");
    }
    return document;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public void close() {
    http.close();
    executor.shutdownNow();
  }
}
