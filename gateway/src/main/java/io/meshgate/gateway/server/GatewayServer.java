package io.meshgate.gateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.gateway.Gateway;
import io.meshgate.gateway.auth.AuthenticationException;
import io.meshgate.gateway.auth.OperationFilter;
import io.meshgate.gateway.auth.Principal;
import io.meshgate.gateway.auth.TokenAuthenticator;
import io.meshgate.gateway.plan.Deadline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GraphQL over HTTP for the gateway: {@code POST}/{@code GET /graphql} ({@code application/json}
 * and {@code application/graphql-response+json}), {@code GET /health} and GraphiQL at {@code
 * /graphiql} with every asset served from the jar.
 *
 * <p>Connections are served by Netty event loops, which keep reading while a request runs: a client
 * that closes its connection cancels its request (see {@link HttpConnection}). Each GraphQL request
 * runs on a virtual thread of its own.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GRAPHQL_RESPONSE = "application/graphql-response+json";

  /** Longest request line (a GET's operation travels in it). */
  static final int MAX_REQUEST_LINE = 256 * 1024;

  /** Query-string parameters read from a GET (GraphQL over HTTP uses four). */
  private static final int MAX_PARAMETERS = 64;

  /** Largest header block. */
  static final int MAX_HEADERS = 64 * 1024;

  /** Open connections beyond which a new one is answered {@code 503} and closed. */
  private static final int MAX_CONNECTIONS = 4096;

  /** Request header that asks for the query plan in {@code extensions.queryPlan}. */
  public static final String PLAN_HEADER = "X-Meshgate-Query-Plan";

  private final EventLoopGroup acceptor;
  private final EventLoopGroup workers;
  private final Channel channel;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicReference<@Nullable Gateway> gateway;

  /** Requests running per gateway: a replaced gateway closes after its last one. */
  private final Map<Gateway, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  private final Set<Gateway> retired = ConcurrentHashMap.newKeySet();
  private final GraphiqlAssets graphiql;
  private final ServerOptions options;

  /** GraphQL requests being served; a request finding none free is shed with 503. */
  private final Semaphore permits;

  /** Verifies bearer tokens; null when authentication is off (every caller is anonymous). */
  private final @Nullable TokenAuthenticator authenticator;

  private final AtomicInteger connections = new AtomicInteger();
  private final boolean loopback;
  private final InetSocketAddress address;

  private GatewayServer(
      String host, int port, AtomicReference<@Nullable Gateway> gateway, ServerOptions options)
      throws IOException {
    this.gateway = gateway;
    this.graphiql = new GraphiqlAssets("/graphql", options.graphiqlQuery());
    this.options = options;
    this.permits = new Semaphore(options.maxConcurrentRequests());
    this.authenticator = options.authentication() == null ? null : options.authentication().open();
    this.acceptor =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("gateway-accept", true), NioIoHandler.newFactory());
    this.workers =
        new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            new DefaultThreadFactory("gateway-http", true),
            NioIoHandler.newFactory());
    HttpDecoderConfig decoding =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADERS);
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel connection) {
                    boolean over = connections.incrementAndGet() > MAX_CONNECTIONS;
                    connection.closeFuture().addListener(closed -> connections.decrementAndGet());
                    connection
                        .pipeline()
                        .addLast(
                            new HttpServerCodec(decoding),
                            new HttpConnection(GatewayServer.this, over));
                  }
                });
    try {
      this.channel = bootstrap.bind(host, port).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      shutdownLoops();
      closeAuthenticator();
      throw new IOException("interrupted while binding " + host + ":" + port, e);
    } catch (RuntimeException e) {
      shutdownLoops();
      closeAuthenticator();
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    this.address = (InetSocketAddress) channel.localAddress();
    this.loopback = address.getAddress().isLoopbackAddress();
  }

  /**
   * Starts serving on {@code host:port} (port 0 = any free port).
   *
   * @param gateway the current gateway; null until a supergraph is loaded ({@code /health} then
   *     answers 503)
   */
  public static GatewayServer start(
      String host, int port, AtomicReference<@Nullable Gateway> gateway) throws IOException {
    return start(host, port, gateway, ServerOptions.defaults());
  }

  /** Starts serving on {@code host:port} with the given admission rules. */
  public static GatewayServer start(
      String host, int port, AtomicReference<@Nullable Gateway> gateway, ServerOptions options)
      throws IOException {
    GatewayServer server = new GatewayServer(host, port, gateway, options);
    if (!server.loopback && options.allowedHosts().isEmpty()) {
      log.warn(
          "the gateway listens on {} beyond loopback and answers to any Host name; give the names"
              + " it is reached by (--allowed-hosts) so that DNS rebinding cannot reach it",
          host);
    }
    return server;
  }

  /** Where the server listens. */
  public URI url() {
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  ExecutorService executor() {
    return executor;
  }

  /**
   * A GraphQL request's hold on the gateway it runs on and on one of the concurrency permits;
   * released once, when it is answered or abandoned.
   */
  final class Lease {
    private final Gateway gateway;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Gateway gateway) {
      this.gateway = gateway;
    }

    Gateway gateway() {
      return gateway;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        GatewayServer.this.release(gateway);
        permits.release();
      }
    }
  }

  /** Decides from a request's head alone what becomes of it. */
  Admission admit(HttpRequest request) {
    String path;
    try {
      path = new QueryStringDecoder(request.uri()).path();
    } catch (IllegalArgumentException e) {
      return new Admission.Answer(
          refusal(400, "the request's path is not valid: " + e.getMessage(), "BAD_REQUEST"));
    }
    return switch (path) {
      case "/graphql", "/graphql/" -> admitGraphql(request);
      case "/health" -> new Admission.Answer(health());
      case "/graphiql", "/graphiql/" ->
          new Admission.Answer(Reply.of(200, "text/html; charset=utf-8", graphiql.page()));
      case "/" -> new Admission.Answer(Reply.empty(302).withHeader("Location", "/graphiql"));
      default ->
          new Admission.Answer(path.startsWith("/webjars/") ? asset(path) : Reply.empty(404));
    };
  }

  private Admission admitGraphql(HttpRequest request) {
    HttpHeaders headers = request.headers();
    String method = request.method().name();
    boolean graphQlResponse = acceptsGraphQlResponse(headers);
    String refused = refusedHostOrOrigin(headers);
    if (refused != null) {
      return refuse(
          request,
          403,
          errors(refused, refused.startsWith("Host") ? "FORBIDDEN_HOST" : "FORBIDDEN_ORIGIN"),
          graphQlResponse);
    }
    Map<String, String> cors = crossOriginHeaders(headers, method);
    if (method.equals("OPTIONS")) {
      return new Admission.Answer(
          Reply.empty(204).withHeader("Allow", "GET, POST, OPTIONS").withHeaders(cors));
    }
    if (!method.equals("GET") && !method.equals("POST")) {
      return new Admission.Answer(
          json(
                  405,
                  errors("method " + method + " is not allowed; use GET or POST", "BAD_REQUEST"),
                  graphQlResponse)
              .withHeader("Allow", "GET, POST"));
    }
    if (method.equals("POST")) {
      String contentType = String.valueOf(headers.get("Content-Type")).toLowerCase(Locale.ROOT);
      if (!contentType.startsWith("application/json")
          && !contentType.startsWith("application/graphql")) {
        // A page on another site can POST text/plain, form or multipart bodies without asking
        // first: only JSON (or GraphQL) bodies, which need a CORS preflight, may run operations.
        return refuse(
            request,
            415,
            errors(
                "a POST body must be sent as Content-Type: application/json (or "
                    + "application/graphql), not "
                    + (contentType.equals("null") ? "without a Content-Type" : contentType),
                "UNSUPPORTED_MEDIA_TYPE"),
            graphQlResponse);
      }
    }
    Principal principal;
    try {
      principal =
          authenticator == null
              ? Principal.ANONYMOUS
              : authenticator.authenticate(headers.get("Authorization"));
    } catch (AuthenticationException e) {
      return new Admission.Answer(
          refusedUnread(
              request,
              json(401, errors(e.getMessage(), "UNAUTHENTICATED"), graphQlResponse)
                  .withHeader("WWW-Authenticate", challenge(e))
                  .withHeaders(cors)));
    }
    if (!permits.tryAcquire()) {
      return new Admission.Answer(
          refusedUnread(
              request,
              json(
                      503,
                      errors(
                          "the gateway is serving its limit of "
                              + options.maxConcurrentRequests()
                              + " requests at once; retry shortly",
                          "OVERLOADED"),
                      graphQlResponse)
                  .withHeader("Retry-After", "1")));
    }
    Gateway current = acquire();
    if (current == null) {
      permits.release();
      return refuse(
          request,
          503,
          errors("the gateway has no supergraph yet", "SUPERGRAPH_NOT_LOADED"),
          graphQlResponse);
    }
    return new Admission.Execute(
        new Lease(current), current.requestTimeout(), graphQlResponse, cors, principal);
  }

  /**
   * The {@code WWW-Authenticate} challenge of a {@code 401} (RFC 6750): {@code invalid_token} with
   * the reason when a token was refused, the bare challenge when none was presented.
   */
  private static String challenge(AuthenticationException e) {
    if (!e.tokenPresented()) {
      return "Bearer realm=\"meshgate\"";
    }
    String description = e.getMessage().replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "'");
    return "Bearer realm=\"meshgate\", error=\"invalid_token\", error_description=\""
        + description
        + "\"";
  }

  /** An answer given before (or instead of) reading a request's body. */
  private static Admission refuse(
      HttpRequest request, int status, ObjectNode body, boolean graphQlResponse) {
    return new Admission.Answer(refusedUnread(request, json(status, body, graphQlResponse)));
  }

  /**
   * A POST refused before its body was read (or only in part) closes its connection: should the
   * rest of the body not be read whole, it would be taken for the next request.
   */
  private static Reply refusedUnread(HttpRequest request, Reply reply) {
    return request.method().name().equals("POST") ? reply.closing() : reply;
  }

  /** The body is over {@link HttpConnection#MAX_BODY}. */
  Reply tooLarge(HttpRequest request, Admission.Execute admitted) {
    return json(
            413,
            errors(
                "the request body is larger than " + HttpConnection.MAX_BODY + " bytes",
                "PAYLOAD_TOO_LARGE"),
            admitted.graphQlResponse())
        .closing();
  }

  /** The server holds as many connections as it takes. */
  Reply overConnectionLimit(HttpRequest request) {
    return json(
            503,
            errors(
                "the gateway holds its limit of " + MAX_CONNECTIONS + " connections; retry shortly",
                "OVERLOADED"),
            acceptsGraphQlResponse(request.headers()))
        .withHeader("Retry-After", "1");
  }

  /** A refusal with a GraphQL-shaped body naming what was wrong. */
  Reply refusal(int status, String message, String code) {
    return json(status, errors(message, code), false);
  }

  /** A defect in the gateway is still an answer with a code, never an empty reply. */
  Reply internalError(Throwable error, boolean graphQlResponse) {
    log.error("gateway failed to execute an operation", error);
    return json(
        500, errors("internal gateway error: " + error, "INTERNAL_SERVER_ERROR"), graphQlResponse);
  }

  /**
   * Why the request may not be served, or null: a {@code Host} the gateway does not answer to (DNS
   * rebinding), or a browser {@code Origin} other than the gateway's own and the allowed ones
   * (cross-site requests).
   */
  private @Nullable String refusedHostOrOrigin(HttpHeaders headers) {
    String host = headers.get("Host");
    String hostName = host == null ? "" : hostName(host);
    boolean hostAllowed =
        options.allowedHosts().contains(hostName)
            || (host != null && options.allowedHosts().contains(host.toLowerCase(Locale.ROOT)))
            || (loopback ? isLoopbackName(hostName) : options.allowedHosts().isEmpty());
    if (!hostAllowed) {
      return "Host '" + host + "' is not a name this gateway answers to";
    }
    String origin = headers.get("Origin");
    if (origin == null || originAllowed(ServerOptions.origin(origin), host)) {
      return null;
    }
    return "Origin '"
        + origin
        + "' may not call this gateway (allowed: its own origin"
        + (options.allowedOrigins().isEmpty()
            ? ""
            : " and " + String.join(", ", new TreeSet<>(options.allowedOrigins())))
        + ")";
  }

  private boolean originAllowed(String origin, @Nullable String host) {
    if (options.allowedOrigins().contains("*") || options.allowedOrigins().contains(origin)) {
      return true;
    }
    int scheme = origin.indexOf("://");
    return host != null
        && scheme > 0
        && origin.substring(scheme + 3).equals(host.toLowerCase(Locale.ROOT));
  }

  /** Lets an allowed foreign origin read answers and send JSON (the CORS preflight's answer). */
  private Map<String, String> crossOriginHeaders(HttpHeaders headers, String method) {
    String origin = headers.get("Origin");
    if (origin == null || options.allowedOrigins().isEmpty()) {
      return Map.of();
    }
    Map<String, String> cors = new LinkedHashMap<>();
    cors.put("Access-Control-Allow-Origin", origin);
    cors.put("Vary", "Origin");
    if (method.equals("OPTIONS")) {
      cors.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      cors.put(
          "Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, " + PLAN_HEADER);
      cors.put("Access-Control-Max-Age", "600");
    }
    return cors;
  }

  private static String hostName(String host) {
    String lower = host.toLowerCase(Locale.ROOT).trim();
    if (lower.startsWith("[")) {
      int end = lower.indexOf(']');
      return end < 0 ? lower : lower.substring(0, end + 1);
    }
    int colon = lower.lastIndexOf(':');
    return colon < 0 ? lower : lower.substring(0, colon);
  }

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

  private static boolean isLoopbackName(String name) {
    return name.equals("localhost")
        || name.endsWith(".localhost")
        || name.equals("[::1]")
        || IPV4_LOOPBACK.matcher(name).matches();
  }

  /** Runs an admitted GraphQL request whose body has arrived; on a virtual thread. */
  Reply execute(HttpRequest http, byte[] body, Admission.Execute admitted, Deadline deadline) {
    return answer(http, body, admitted, deadline).withHeaders(admitted.corsHeaders());
  }

  private Reply answer(
      HttpRequest http, byte[] body, Admission.Execute admitted, Deadline deadline) {
    boolean graphQlResponse = admitted.graphQlResponse();
    String method = http.method().name();
    Request request;
    try {
      request =
          method.equals("POST") ? fromBody(http.headers(), body) : fromQueryString(http.uri());
    } catch (BadRequest e) {
      return json(400, errors(e.getMessage(), "BAD_REQUEST"), graphQlResponse);
    }
    boolean includePlan =
        options.exposeQueryPlans()
            && ("true".equalsIgnoreCase(http.headers().get(PLAN_HEADER))
                || request.extensions().path("queryPlan").asBoolean(false));
    ObjectNode response;
    try {
      response =
          admitted
              .lease()
              .gateway()
              .execute(
                  request.query(),
                  request.operationName(),
                  request.variables(),
                  method.equals("GET") ? "query" : null,
                  includePlan,
                  deadline,
                  admitted.principal())
              .get();
    } catch (ExecutionException e) {
      return internalError(e.getCause(), graphQlResponse);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refusal(
          503, "the request was interrupted: " + deadline.cancelled(), "REQUEST_CANCELLED");
    }
    boolean requestError = !response.has("data");
    int status = 200;
    if (requestError && "METHOD_NOT_ALLOWED".equals(firstCode(response))) {
      status = 405;
    } else if (requestError && "GATEWAY_TIMEOUT".equals(firstCode(response))) {
      status = 504;
    } else if (requestError
        && graphQlResponse
        && OperationFilter.CODE.equals(firstCode(response))) {
      status = 403;
    } else if (requestError && graphQlResponse) {
      status = 400;
    }
    return json(status, response, graphQlResponse);
  }

  private static String firstCode(ObjectNode response) {
    return response.path("errors").path(0).path("extensions").path("code").asText();
  }

  private record Request(
      String query, @Nullable String operationName, ObjectNode variables, JsonNode extensions) {}

  /** A request whose body or parameters cannot be read: {@code 400 BAD_REQUEST}. */
  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  private static Request fromBody(HttpHeaders headers, byte[] body) throws BadRequest {
    String contentType = String.valueOf(headers.get("Content-Type")).toLowerCase(Locale.ROOT);
    if (contentType.startsWith("application/graphql")
        && !contentType.startsWith("application/graphql-response")) {
      return new Request(
          new String(body, StandardCharsets.UTF_8),
          null,
          JsonNodeFactory.instance.objectNode(),
          JsonNodeFactory.instance.objectNode());
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      String detail =
          e instanceof JsonProcessingException processing
              ? processing.getOriginalMessage()
              : e.getMessage();
      throw new BadRequest("the request body is not valid JSON: " + detail);
    }
    if (json == null || !json.isObject()) {
      throw new BadRequest("the request body must be a JSON object with a 'query'");
    }
    return toRequest(
        json.get("query"),
        json.get("operationName"),
        json.get("variables"),
        json.get("extensions"));
  }

  private static Request fromQueryString(String uri) throws BadRequest {
    Map<String, List<String>> params;
    try {
      params =
          QueryStringDecoder.builder()
              .hasPath(true)
              .semicolonIsNormalChar(true)
              .maxParams(MAX_PARAMETERS)
              .build(uri)
              .parameters();
    } catch (IllegalArgumentException e) {
      throw new BadRequest("the query string is not valid: " + e.getMessage());
    }
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    String query = last(params, "query");
    String operationName = last(params, "operationName");
    return toRequest(
        query == null ? null : nodes.textNode(query),
        operationName == null ? null : nodes.textNode(operationName),
        parseJsonParam(last(params, "variables"), "variables"),
        parseJsonParam(last(params, "extensions"), "extensions"));
  }

  private static @Nullable String last(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static @Nullable JsonNode parseJsonParam(@Nullable String value, String name)
      throws BadRequest {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new BadRequest("the '" + name + "' parameter is not valid JSON");
    }
  }

  private static Request toRequest(
      @Nullable JsonNode query,
      @Nullable JsonNode operationName,
      @Nullable JsonNode variables,
      @Nullable JsonNode extensions)
      throws BadRequest {
    if (query == null || !query.isTextual() || query.asText().isBlank()) {
      throw new BadRequest("the request has no 'query' (a GraphQL document as a string)");
    }
    if (operationName != null && !operationName.isNull() && !operationName.isTextual()) {
      throw new BadRequest("'operationName' must be a string");
    }
    if (variables != null && !variables.isNull() && !variables.isObject()) {
      throw new BadRequest("'variables' must be a JSON object");
    }
    return new Request(
        query.asText(),
        operationName == null || operationName.isNull() ? null : operationName.asText(),
        variables instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode(),
        extensions == null ? JsonNodeFactory.instance.objectNode() : extensions);
  }

  private static boolean acceptsGraphQlResponse(HttpHeaders headers) {
    String accept = headers.get("Accept");
    return accept != null
        && accept.contains(GRAPHQL_RESPONSE)
        && (!accept.contains("application/json")
            || accept.indexOf(GRAPHQL_RESPONSE) < accept.indexOf("application/json"));
  }

  private static ObjectNode errors(String message, String code) {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    ObjectNode error = response.putArray("errors").addObject();
    error.put("message", message);
    error.putObject("extensions").put("code", code);
    return response;
  }

  private static Reply json(int status, ObjectNode body, boolean graphQlResponse) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
    return Reply.of(
        status,
        (graphQlResponse ? GRAPHQL_RESPONSE : "application/json") + "; charset=utf-8",
        bytes);
  }

  private Reply health() {
    Gateway current = gateway.get();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", current == null ? "STARTING" : "UP");
    if (current != null) {
      body.put("subgraphs", current.supergraph().graphs().size());
    }
    return json(current == null ? 503 : 200, body, false);
  }

  private Reply asset(String path) {
    GraphiqlAssets.Asset asset = graphiql.asset(path);
    if (asset == null) {
      return Reply.empty(404);
    }
    return Reply.of(200, asset.contentType(), asset.bytes())
        .withHeader("Cache-Control", "public, max-age=86400");
  }

  /** Replaces the gateway (a new supergraph); requests in flight finish on the old one. */
  public void swap(Gateway next) {
    Gateway previous = gateway.getAndSet(next);
    if (previous != null && previous != next) {
      retired.add(previous);
      AtomicInteger running = inFlight.get(previous);
      if (running == null || running.get() == 0) {
        closeRetired(previous);
      }
    }
  }

  /** The gateway in service, counted as in use until {@link #release}; null before the first. */
  private @Nullable Gateway acquire() {
    while (true) {
      Gateway current = gateway.get();
      if (current == null) {
        return null;
      }
      inFlight.computeIfAbsent(current, g -> new AtomicInteger()).incrementAndGet();
      if (gateway.get() == current) {
        return current;
      }
      release(current);
    }
  }

  private void release(Gateway used) {
    AtomicInteger running = inFlight.get(used);
    if (running != null && running.decrementAndGet() == 0 && retired.contains(used)) {
      closeRetired(used);
    }
  }

  /** Closes a replaced gateway once, after its last request. */
  private void closeRetired(Gateway old) {
    if (retired.remove(old)) {
      inFlight.remove(old);
      old.close();
    }
  }

  /** The gateway in service. */
  public Supplier<@Nullable Gateway> current() {
    return gateway::get;
  }

  private void shutdownLoops() {
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutdownLoops();
    executor.shutdownNow();
    acceptor.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
    Gateway current = gateway.getAndSet(null);
    if (current != null) {
      current.close();
    }
    closeAuthenticator();
  }

  private void closeAuthenticator() {
    if (authenticator != null) {
      authenticator.close();
    }
  }
}
