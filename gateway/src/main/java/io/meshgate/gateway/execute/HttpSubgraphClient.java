package io.meshgate.gateway.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.gateway.plan.Deadline;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Talks to subgraphs over HTTP/1.1 (or HTTPS) with pooled keep-alive connections and non-blocking
 * I/O on a small Netty event loop group of its own: no thread waits on a subgraph socket, and a
 * response is read straight into one byte array and parsed by the thread that waits for it. Each
 * subgraph has its own timeout; a response larger than the limit is cut off without being read.
 */
public final class HttpSubgraphClient implements SubgraphClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a pooled connection may stay idle before the gateway closes it. */
  private static final int IDLE_SECONDS = 60;

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final Map<String, Endpoint> endpoints;
  private final Map<String, Duration> timeouts;
  private final Duration defaultTimeout;
  private final EventLoopGroup loops;
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
   * @throws IllegalArgumentException for a limit below one byte or a URL that is not http(s)
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
    this.timeouts = Map.copyOf(timeouts);
    this.defaultTimeout = defaultTimeout;
    this.loops =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("gateway-subgraph", true),
            NioIoHandler.newFactory());
    try {
      SslContext tls = null;
      Map<String, Endpoint> byName = new LinkedHashMap<>();
      for (Map.Entry<String, URI> entry : urls.entrySet()) {
        URI url = entry.getValue();
        boolean secure = "https".equalsIgnoreCase(url.getScheme());
        if (secure && tls == null) {
          tls = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
        }
        byName.put(entry.getKey(), new Endpoint(entry.getKey(), url, secure ? tls : null));
      }
      this.endpoints = Map.copyOf(byName);
    } catch (SSLException | RuntimeException e) {
      loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("could not set up TLS for subgraph requests", e);
    }
  }

  /** One subgraph's address and its pool of keep-alive connections. */
  private final class Endpoint {
    final String subgraph;
    final String host;
    final String target;
    final SimpleChannelPool pool;

    Endpoint(String subgraph, URI url, @Nullable SslContext tls) {
      String scheme = url.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "subgraph '" + subgraph + "' has URL " + url + ", which is not an http(s) URL");
      }
      this.subgraph = subgraph;
      int port = url.getPort() != -1 ? url.getPort() : tls != null ? 443 : 80;
      this.host = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      this.target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
      String hostName = url.getHost();
      int aggregate = (int) Math.min(Integer.MAX_VALUE, maxResponseBytes);
      Bootstrap bootstrap =
          new Bootstrap()
              .group(loops)
              .channel(NioSocketChannel.class)
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
              .option(ChannelOption.TCP_NODELAY, true)
              .remoteAddress(hostName, port);
      this.pool =
          new SimpleChannelPool(
              bootstrap,
              new AbstractChannelPoolHandler() {
                @Override
                public void channelCreated(Channel channel) {
                  if (tls != null) {
                    channel.pipeline().addLast(tls.newHandler(channel.alloc(), hostName, port));
                  }
                  channel
                      .pipeline()
                      .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                      .addLast(new HttpClientCodec())
                      .addLast(new HttpObjectAggregator(aggregate))
                      .addLast(new Exchange());
                }
              },
              ChannelHealthChecker.ACTIVE,
              true,
              true);
    }

    FullHttpRequest request(byte[] body) {
      FullHttpRequest request =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.POST, target, Unpooled.wrappedBuffer(body));
      request
          .headers()
          .set(HttpHeaderNames.HOST, host)
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .set(HttpHeaderNames.ACCEPT, "application/graphql-response+json, application/json")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
      return request;
    }
  }

  /** A subgraph's answer as read off the wire. */
  private record Answer(int status, byte[] body) {}

  /** The connection closed before the answer to a request sent on it was read. */
  private static final class ConnectionClosed extends IOException {
    private static final long serialVersionUID = 1L;

    ConnectionClosed() {
      super("the subgraph closed the connection before answering");
    }
  }

  /** The subgraph did not answer within its timeout. */
  private static final class SubgraphTimedOut extends IOException {
    private static final long serialVersionUID = 1L;

    SubgraphTimedOut() {
      super("timed out", null);
    }
  }

  /**
   * The last handler of a pooled connection: completes the exchange in progress on it (one at a
   * time: a connection is only handed out again once its answer was read).
   */
  private static final class Exchange extends ChannelInboundHandlerAdapter {
    private volatile @Nullable CompletableFuture<Answer> current;
    private int uses;

    /**
     * Starts an exchange; true when the connection already carried one (it may have gone stale).
     */
    boolean begin(CompletableFuture<Answer> answer) {
      current = answer;
      return uses++ > 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      if (!(message instanceof FullHttpResponse response)) {
        ReferenceCountUtil.release(message);
        return;
      }
      try {
        CompletableFuture<Answer> answer = current;
        current = null;
        if (answer == null) {
          // An answer nobody asked for: the connection is out of step; drop it.
          context.close();
          return;
        }
        Answer read =
            new Answer(response.status().code(), ByteBufUtil.getBytes(response.content()));
        if (!HttpUtil.isKeepAlive(response)) {
          // Closed before the answer is handed on: completing it returns the connection to the
          // pool, where another request must not pick it up in the moment before it closes.
          context.close();
        }
        answer.complete(read);
      } finally {
        response.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      fail(cause);
      context.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      fail(new ConnectionClosed());
      context.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
      if (event instanceof IdleStateEvent && current == null) {
        context.close();
        return;
      }
      context.fireUserEventTriggered(event);
    }

    private void fail(Throwable cause) {
      CompletableFuture<Answer> answer = current;
      current = null;
      if (answer != null) {
        answer.completeExceptionally(cause);
      }
    }
  }

  /**
   * Sends {@code body} to the endpoint and reads its answer, within {@code timeoutNanos}.
   * Cancelling the returned future drops the connection, which cancels the request. A query whose
   * reused connection turns out to have been closed by the subgraph is sent once more on another.
   */
  private CompletableFuture<Answer> exchange(
      Endpoint endpoint, byte[] body, long timeoutNanos, boolean retryable) {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    AtomicReference<@Nullable Channel> inUse = new AtomicReference<>();
    answer.whenComplete(
        (result, error) -> {
          if (error instanceof CancellationException) {
            Channel channel = inUse.get();
            if (channel != null) {
              channel.close();
            }
          }
        });
    attempt(endpoint, body, System.nanoTime() + timeoutNanos, retryable, answer, inUse);
    return answer;
  }

  private void attempt(
      Endpoint endpoint,
      byte[] body,
      long deadlineNanos,
      boolean retryable,
      CompletableFuture<Answer> answer,
      AtomicReference<@Nullable Channel> inUse) {
    endpoint
        .pool
        .acquire()
        .addListener(
            acquired -> {
              if (!acquired.isSuccess()) {
                answer.completeExceptionally(acquired.cause());
                return;
              }
              Channel channel = (Channel) acquired.getNow();
              if (answer.isDone()) {
                endpoint.pool.release(channel);
                return;
              }
              inUse.set(channel);
              CompletableFuture<Answer> attempt = new CompletableFuture<>();
              boolean reused = channel.pipeline().get(Exchange.class).begin(attempt);
              ScheduledFuture<?> timer =
                  channel
                      .eventLoop()
                      .schedule(
                          () -> {
                            if (attempt.completeExceptionally(new SubgraphTimedOut())) {
                              channel.close();
                            }
                          },
                          Math.max(0, deadlineNanos - System.nanoTime()),
                          TimeUnit.NANOSECONDS);
              attempt.whenComplete(
                  (result, error) -> {
                    timer.cancel(false);
                    if (error != null || answer.isCancelled()) {
                      channel.close();
                    }
                    endpoint.pool.release(channel);
                    if (error instanceof ConnectionClosed
                        && reused
                        && retryable
                        && !answer.isDone()) {
                      inUse.set(null);
                      attempt(endpoint, body, deadlineNanos, false, answer, inUse);
                    } else if (error != null) {
                      answer.completeExceptionally(error);
                    } else {
                      answer.complete(result);
                    }
                  });
              channel
                  .writeAndFlush(endpoint.request(body))
                  .addListener(
                      written -> {
                        if (!written.isSuccess()) {
                          attempt.completeExceptionally(
                              channel.isActive() ? written.cause() : new ConnectionClosed());
                        }
                      });
            });
  }

  @Override
  public CompletableFuture<JsonNode> execute(String subgraph, String query, ObjectNode variables) {
    Endpoint endpoint = endpoints.get(subgraph);
    if (endpoint == null) {
      return CompletableFuture.failedFuture(noUrl(subgraph));
    }
    byte[] bytes = body(query, variables);
    if (deduplicate && !isMutation(query)) {
      String key = subgraph + "\u0000" + new String(bytes, StandardCharsets.UTF_8);
      CompletableFuture<JsonNode> shared = inflight.get(key);
      if (shared != null) {
        return shared;
      }
      CompletableFuture<JsonNode> created = send(endpoint, bytes, !isMutation(query));
      CompletableFuture<JsonNode> raced = inflight.putIfAbsent(key, created);
      if (raced != null) {
        created.cancel(true);
        return raced;
      }
      created.whenComplete((r, e) -> inflight.remove(key, created));
      return created;
    }
    return send(endpoint, bytes, !isMutation(query));
  }

  private CompletableFuture<JsonNode> send(Endpoint endpoint, byte[] bytes, boolean retryable) {
    Duration timeout = timeout(endpoint.subgraph);
    CompletableFuture<Answer> exchange = exchange(endpoint, bytes, timeout.toNanos(), retryable);
    CompletableFuture<JsonNode> parsed =
        exchange.handle(
            (answer, error) -> {
              if (error != null) {
                throw failure(endpoint.subgraph, timeout, error);
              }
              return parse(endpoint.subgraph, answer);
            });
    parsed.whenComplete(
        (r, e) -> {
          if (e instanceof CancellationException) {
            exchange.cancel(true);
          }
        });
    return parsed;
  }

  @Override
  public JsonNode send(String subgraph, String query, ObjectNode variables) {
    return send(subgraph, query, variables, Deadline.none());
  }

  /**
   * Waits at most the subgraph's timeout or until the deadline, whichever comes first; the answer
   * is parsed on the waiting thread. An interrupted wait cancels the request.
   */
  @Override
  public JsonNode send(String subgraph, String query, ObjectNode variables, Deadline deadline) {
    if (deduplicate) {
      return SubgraphClient.super.send(subgraph, query, variables, deadline);
    }
    Endpoint endpoint = endpoints.get(subgraph);
    if (endpoint == null) {
      throw noUrl(subgraph);
    }
    if (deadline.passed()) {
      throw SubgraphException.deadlinePassed(subgraph, deadline);
    }
    Duration timeout = timeout(subgraph);
    CompletableFuture<Answer> exchange =
        exchange(endpoint, body(query, variables), timeout.toNanos(), !isMutation(query));
    Answer answer;
    try (Deadline.Wait wait = deadline.waiting()) {
      answer = exchange.get(Math.max(1, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw SubgraphException.deadlinePassed(subgraph, deadline);
    } catch (InterruptedException e) {
      exchange.cancel(true);
      if (deadline.cancelled() != null) {
        throw SubgraphException.deadlinePassed(subgraph, deadline);
      }
      Thread.currentThread().interrupt();
      throw new SubgraphException(
          subgraph, "SUBGRAPH_REQUEST_FAILED", "interrupted while waiting for '" + subgraph + "'");
    } catch (ExecutionException e) {
      throw failure(subgraph, timeout, e.getCause());
    }
    return parse(subgraph, answer);
  }

  private Duration timeout(String subgraph) {
    return timeouts.getOrDefault(subgraph, defaultTimeout);
  }

  private static boolean isMutation(String query) {
    return query.startsWith("mutation");
  }

  private static SubgraphException noUrl(String subgraph) {
    return new SubgraphException(
        subgraph, "SUBGRAPH_REQUEST_FAILED", "no URL configured for subgraph '" + subgraph + "'");
  }

  /** The error a failed exchange becomes, with the code that says what went wrong. */
  private SubgraphException failure(String subgraph, Duration timeout, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof SubgraphException known) {
      return known;
    }
    if (cause instanceof TooLongHttpContentException) {
      return new SubgraphException(
          subgraph,
          "SUBGRAPH_RESPONSE_TOO_LARGE",
          "subgraph '"
              + subgraph
              + "' answered with more than "
              + maxResponseBytes
              + " bytes, the most the gateway reads from one subgraph");
    }
    if (cause instanceof SubgraphTimedOut) {
      return new SubgraphException(
          subgraph,
          "SUBGRAPH_TIMEOUT",
          "subgraph '" + subgraph + "' did not answer within " + timeout.toMillis() + " ms");
    }
    return new SubgraphException(
        subgraph,
        "SUBGRAPH_REQUEST_FAILED",
        "request to subgraph '" + subgraph + "' failed: " + describe(cause));
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

  private static JsonNode parse(String subgraph, Answer answer) {
    JsonNode document;
    try {
      document = JSON.readTree(answer.body());
    } catch (IOException e) {
      document = null;
    }
    boolean graphQlResponse =
        document != null && document.isObject() && (document.has("data") || document.has("errors"));
    if (answer.status() / 100 != 2 && !graphQlResponse) {
      throw new SubgraphException(
          subgraph,
          "SUBGRAPH_REQUEST_FAILED",
          "subgraph '" + subgraph + "' answered HTTP " + answer.status());
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
    endpoints.values().forEach(endpoint -> endpoint.pool.close());
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
