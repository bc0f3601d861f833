package io.meshgate.gateway.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.schema.GraphQLSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Serves a graphql-java schema over real HTTP ({@code POST /graphql}, GraphQL over HTTP with JSON)
 * on 127.0.0.1 and an ephemeral port, with faults on demand and counters for the tests' assertions.
 *
 * <p>Requests run on virtual threads; connections are kept alive. {@link #failNextRequests(int)}
 * and {@link #delay(Duration)} inject faults; {@link #requestCount()}, {@link #connectionCount()}
 * and {@link #recordedRequests()} show what the gateway sent.
 */
public final class SubgraphServer implements AutoCloseable {

  /** How many request bodies {@link #recordedRequests()} keeps by default. */
  public static final int DEFAULT_RECORDED_REQUESTS = 64;

  private static final String PATH = "/graphql";
  private static final String JSON = "application/json; charset=utf-8";
  private static final int BACKLOG = 1024;
  private static final int MAX_CACHED_DOCUMENTS = 1024;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String name;
  private final GraphQL graphql;
  private final HttpServer server;
  private final ExecutorService executor;
  private final int recordLimit;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger failureStatus = new AtomicInteger(500);
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private final Set<String> connections = ConcurrentHashMap.newKeySet();
  private final Deque<String> recorded = new ArrayDeque<>();

  private SubgraphServer(String name, GraphQLSchema schema, int recordLimit) throws IOException {
    this.name = name;
    this.recordLimit = recordLimit;
    this.graphql =
        GraphQL.newGraphQL(schema).preparsedDocumentProvider(new DocumentCache()).build();
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
    server.createContext(PATH, this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * Starts serving {@code schema}; {@code name} appears in error messages and {@link #toString()}.
   */
  public static SubgraphServer start(String name, GraphQLSchema schema) {
    return start(name, schema, DEFAULT_RECORDED_REQUESTS);
  }

  /** Starts serving {@code schema}, keeping the last {@code recordLimit} request bodies. */
  public static SubgraphServer start(String name, GraphQLSchema schema, int recordLimit) {
    if (recordLimit < 0) {
      throw new IllegalArgumentException("recordLimit must not be negative: " + recordLimit);
    }
    try {
      return new SubgraphServer(name, schema, recordLimit);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start subgraph " + name, e);
    }
  }

  /** The subgraph's name. */
  public String name() {
    return name;
  }

  /** The endpoint to POST GraphQL requests to, e.g. {@code http://127.0.0.1:41234/graphql}. */
  public URI url() {
    InetSocketAddress address = server.getAddress();
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + PATH);
  }

  /**
   * Answers the next {@code count} requests with HTTP 500 and a plain-text body, without executing
   * them.
   */
  public void failNextRequests(int count) {
    failNextRequests(count, 500);
  }

  /**
   * Answers the next {@code count} requests with HTTP {@code status} and a plain-text body, without
   * executing them.
   */
  public void failNextRequests(int count, int status) {
    if (count < 0 || status < 100 || status > 599) {
      throw new IllegalArgumentException("count " + count + ", status " + status);
    }
    failureStatus.set(status);
    failuresLeft.set(count);
  }

  /**
   * Holds every following request for {@code delay} before answering it; {@link Duration#ZERO}
   * switches it off.
   */
  public void delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
    this.delay.set(delay);
  }

  /** How many requests arrived since start or the last {@link #reset()}, failed ones included. */
  public int requestCount() {
    return requests.get();
  }

  /**
   * How many distinct client connections sent requests since start or {@link #reset()}: shows
   * connection reuse.
   */
  public int connectionCount() {
    return connections.size();
  }

  /**
   * The bodies of the most recent requests, oldest first, up to the record limit given at start.
   */
  public List<String> recordedRequests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /** Clears counters, recorded requests and pending faults, and removes the delay. */
  public void reset() {
    failuresLeft.set(0);
    delay.set(Duration.ZERO);
    synchronized (recorded) {
      requests.set(0);
      connections.clear();
      recorded.clear();
    }
  }

  /**
   * Stops listening at once and drops open connections: clients then see the subgraph down
   * (connection refused).
   */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "SubgraphServer[" + name + " at " + url() + "]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, 405, "text/plain; charset=utf-8", "POST GraphQL requests to " + PATH);
        return;
      }
      record(exchange, body);
      sleep(delay.get());
      if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
        respond(
            exchange,
            failureStatus.get(),
            "text/plain; charset=utf-8",
            "injected failure in subgraph " + name);
        return;
      }
      execute(exchange, body);
    }
  }

  private void record(HttpExchange exchange, String body) {
    synchronized (recorded) {
      requests.incrementAndGet();
      connections.add(exchange.getRemoteAddress().toString());
      if (recordLimit == 0) {
        return;
      }
      if (recorded.size() == recordLimit) {
        recorded.removeFirst();
      }
      recorded.addLast(body);
    }
  }

  private void execute(HttpExchange exchange, String body) throws IOException {
    GraphQLRequest request;
    try {
      request = GraphQLRequest.parse(body);
    } catch (IllegalArgumentException e) {
      respond(exchange, 400, JSON, errorJson(e.getMessage()));
      return;
    }
    ExecutionInput input =
        ExecutionInput.newExecutionInput()
            .query(request.query())
            .operationName(request.operationName())
            .variables(request.variables())
            .build();
    ExecutionResult result = graphql.execute(input);
    respond(exchange, 200, JSON, MAPPER.writeValueAsString(result.toSpecification()));
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static String errorJson(@Nullable String message) throws JsonProcessingException {
    return MAPPER.writeValueAsString(
        Map.of("errors", List.of(Map.of("message", String.valueOf(message)))));
  }

  private static void sleep(Duration duration) {
    if (duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A GraphQL-over-HTTP request body. */
  private record GraphQLRequest(
      String query, @Nullable String operationName, Map<String, Object> variables) {

    @SuppressWarnings("unchecked")
    static GraphQLRequest parse(String body) {
      Map<String, Object> json;
      try {
        json = MAPPER.readValue(body, Map.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("request body is not JSON: " + e.getOriginalMessage());
      }
      if (json == null || !(json.get("query") instanceof String query)) {
        throw new IllegalArgumentException("request body has no \"query\" string");
      }
      Object operationName = json.get("operationName");
      Object variables = json.get("variables");
      return new GraphQLRequest(
          query,
          operationName instanceof String string ? string : null,
          variables instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of());
    }
  }

  /**
   * Parses and validates each distinct query once, so load benchmarks measure the gateway, not
   * subgraph parsing.
   */
  private static final class DocumentCache implements PreparsedDocumentProvider {

    private final Map<String, PreparsedDocumentEntry> documents = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
        ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
      PreparsedDocumentEntry cached = documents.get(input.getQuery());
      if (cached != null) {
        return CompletableFuture.completedFuture(cached);
      }
      PreparsedDocumentEntry entry = parseAndValidate.apply(input);
      if (documents.size() < MAX_CACHED_DOCUMENTS) {
        documents.put(input.getQuery(), entry);
      }
      return CompletableFuture.completedFuture(entry);
    }
  }
}
