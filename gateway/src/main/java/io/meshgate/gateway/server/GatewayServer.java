package io.meshgate.gateway.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshgate.gateway.Gateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GraphQL over HTTP for the gateway: {@code POST}/{@code GET /graphql} ({@code application/json}
 * and {@code application/graphql-response+json}), {@code GET /health} and GraphiQL at {@code
 * /graphiql} with every asset served from the jar. One virtual thread per request.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
  private static final int MAX_BODY = 4 * 1024 * 1024;
  static {
    // The JDK's server waits forever for a request's body and takes any number of connections
    // unless told otherwise (read once per JVM, so only when the embedding program has not chosen).
    setIfAbsent("sun.net.httpserver.maxReqTime", "30");
    setIfAbsent("jdk.httpserver.maxConnections", "4096");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /** Request header that asks for the query plan in {@code extensions.queryPlan}. */
  public static final String PLAN_HEADER = "X-Meshgate-Query-Plan";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicReference<@Nullable Gateway> gateway;
  /** Requests running per gateway: a replaced gateway closes after its last one. */
  private final java.util.Map<Gateway, AtomicInteger> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Set<Gateway> retired = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final GraphiqlAssets graphiql;
  private final ServerOptions options;
  /** GraphQL requests being served; a request finding none free is shed with 503. */
  private final Semaphore permits;
  private final boolean loopback;

  private GatewayServer(HttpServer server, AtomicReference<@Nullable Gateway> gateway, ServerOptions options) {
    this.server = server;
    this.gateway = gateway;
    this.graphiql = new GraphiqlAssets("/graphql", options.graphiqlQuery());
    this.options = options;
    this.permits = new Semaphore(options.maxConcurrentRequests());
    this.loopback = server.getAddress().getAddress().isLoopbackAddress();
  }

  /**
   * Starts serving on {@code host:port} (port 0 = any free port).
   *
   * @param gateway the current gateway; null until a supergraph is loaded ({@code /health} then
   *     answers 503)
   */
  public static GatewayServer start(String host, int port, AtomicReference<@Nullable Gateway> gateway)
      throws IOException {
    return start(host, port, gateway, ServerOptions.defaults());
  }

  /** Starts serving on {@code host:port} with the given admission rules. */
  public static GatewayServer start(String host, int port, AtomicReference<@Nullable Gateway> gateway,
      ServerOptions options) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 1024);
    GatewayServer gatewayServer = new GatewayServer(server, gateway, options);
    if (!gatewayServer.loopback && options.allowedHosts().isEmpty()) {
      log.warn("the gateway listens on {} beyond loopback and answers to any Host name; give the names it is "
          + "reached by (--allowed-hosts) so that DNS rebinding cannot reach it", host);
    }
    server.setExecutor(gatewayServer.executor);
    server.createContext("/graphql", gatewayServer::graphql);
    server.createContext("/health", gatewayServer::health);
    server.createContext("/graphiql", gatewayServer::graphiql);
    server.createContext("/webjars/", gatewayServer::asset);
    server.createContext("/", gatewayServer::root);
    server.start();
    return gatewayServer;
  }

  /** Where the server listens. */
  public URI url() {
    InetSocketAddress address = server.getAddress();
    return URI.create("http://" + address.getHostString() + ":" + address.getPort());
  }

  private void graphql(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean graphQlResponse = acceptsGraphQlResponse(exchange);
      String refused = refusedHostOrOrigin(exchange);
      if (refused != null) {
        send(exchange, 403, errors(refused, refused.startsWith("Host") ? "FORBIDDEN_HOST" : "FORBIDDEN_ORIGIN"),
            graphQlResponse);
        return;
      }
      allowCrossOrigin(exchange);
      if (method.equals("OPTIONS")) {
        exchange.getResponseHeaders().add("Allow", "GET, POST, OPTIONS");
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      if (!permits.tryAcquire()) {
        exchange.getResponseHeaders().set("Retry-After", "1");
        send(exchange, 503, errors("the gateway is serving its limit of " + options.maxConcurrentRequests()
            + " requests at once; retry shortly", "OVERLOADED"), graphQlResponse);
        return;
      }
      try {
        Gateway current = acquire();
        if (current == null) {
          send(exchange, 503, errors("the gateway has no supergraph yet", "SUPERGRAPH_NOT_LOADED"), graphQlResponse);
          return;
        }
        try {
          serve(exchange, method, current, graphQlResponse);
        } finally {
          release(current);
        }
      } finally {
        permits.release();
      }
    }
  }

  /**
   * Why the request may not be served, or null: a {@code Host} the gateway does not answer to
   * (DNS rebinding), or a browser {@code Origin} other than the gateway's own and the allowed ones
   * (cross-site requests).
   */
  private @Nullable String refusedHostOrOrigin(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    String hostName = host == null ? "" : hostName(host);
    boolean hostAllowed = options.allowedHosts().contains(hostName)
        || (host != null && options.allowedHosts().contains(host.toLowerCase(Locale.ROOT)))
        || (loopback ? isLoopbackName(hostName) : options.allowedHosts().isEmpty());
    if (!hostAllowed) {
      return "Host '" + host + "' is not a name this gateway answers to";
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin == null || originAllowed(ServerOptions.origin(origin), host)) {
      return null;
    }
    return "Origin '" + origin + "' may not call this gateway (allowed: its own origin"
        + (options.allowedOrigins().isEmpty() ? "" : " and " + String.join(", ", new TreeSet<>(options.allowedOrigins())))
        + ")";
  }

  private boolean originAllowed(String origin, @Nullable String host) {
    if (options.allowedOrigins().contains("*") || options.allowedOrigins().contains(origin)) {
      return true;
    }
    int scheme = origin.indexOf("://");
    return host != null && scheme > 0 && origin.substring(scheme + 3).equals(host.toLowerCase(Locale.ROOT));
  }

  /** Lets an allowed foreign origin read answers and send JSON (the CORS preflight's answer). */
  private void allowCrossOrigin(HttpExchange exchange) {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin == null || options.allowedOrigins().isEmpty()) {
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Vary", "Origin");
    if (exchange.getRequestMethod().equals("OPTIONS")) {
      headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      headers.set("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, " + PLAN_HEADER);
      headers.set("Access-Control-Max-Age", "600");
    }
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
    return name.equals("localhost") || name.endsWith(".localhost") || name.equals("[::1]")
        || IPV4_LOOPBACK.matcher(name).matches();
  }

  private void serve(HttpExchange exchange, String method, Gateway current, boolean graphQlResponse)
      throws IOException {
    Request request;
    try {
      request = switch (method) {
        case "POST" -> fromBody(exchange);
        case "GET" -> fromQueryString(exchange);
        default -> throw new BadRequest(405, "method " + method + " is not allowed; use GET or POST");
      };
    } catch (BadRequest e) {
      if (e.status == 405) {
        exchange.getResponseHeaders().add("Allow", "GET, POST");
      }
      send(exchange, e.status, errors(e.getMessage(), e.code), graphQlResponse);
      return;
    }
    boolean includePlan = options.exposeQueryPlans()
        && ("true".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(PLAN_HEADER))
            || request.extensions().path("queryPlan").asBoolean(false));
    ObjectNode response;
    try {
      response = current.execute(request.query(), request.operationName(), request.variables(),
          method.equals("GET") ? "query" : null, includePlan).get();
    } catch (ExecutionException e) {
      log.error("gateway failed to execute an operation", e.getCause());
      response = errors("internal gateway error: " + e.getCause().getMessage(), "INTERNAL_SERVER_ERROR");
      send(exchange, 500, response, graphQlResponse);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      // Never an empty reply: a defect in the gateway is still an answer with a code.
      log.error("gateway failed to execute an operation", e);
      send(exchange, 500, errors("internal gateway error: " + e, "INTERNAL_SERVER_ERROR"), graphQlResponse);
      return;
    }
    boolean requestError = !response.has("data");
    int status = 200;
    if (requestError && isMethodError(response)) {
      status = 405;
    } else if (requestError && "GATEWAY_TIMEOUT".equals(firstCode(response))) {
      status = 504;
    } else if (requestError && graphQlResponse) {
      status = 400;
    }
    send(exchange, status, response, graphQlResponse);
  }

  private static boolean isMethodError(ObjectNode response) {
    return "METHOD_NOT_ALLOWED".equals(firstCode(response));
  }

  private static String firstCode(ObjectNode response) {
    return response.path("errors").path(0).path("extensions").path("code").asText();
  }

  private record Request(String query, @Nullable String operationName, ObjectNode variables, JsonNode extensions) {}

  private static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    BadRequest(int status, String message) {
      this(status, message, "BAD_REQUEST");
    }

    BadRequest(int status, String message, String code) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private static Request fromBody(HttpExchange exchange) throws IOException, BadRequest {
    String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT);
    if (!contentType.startsWith("application/json") && !contentType.startsWith("application/graphql")) {
      // A page on another site can POST text/plain, form or multipart bodies without asking
      // first: only JSON (or GraphQL) bodies, which need a CORS preflight, may run operations.
      throw new BadRequest(415, "a POST body must be sent as Content-Type: application/json (or "
          + "application/graphql), not " + (contentType.equals("null") ? "without a Content-Type" : contentType),
          "UNSUPPORTED_MEDIA_TYPE");
    }
    byte[] body = readLimited(exchange);
    if (contentType.startsWith("application/graphql") && !contentType.startsWith("application/graphql-response")) {
      return new Request(new String(body, StandardCharsets.UTF_8), null, JsonNodeFactory.instance.objectNode(),
          JsonNodeFactory.instance.objectNode());
    }
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "the request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw new BadRequest(400, "the request body must be a JSON object with a 'query'");
    }
    return toRequest(json.get("query"), json.get("operationName"), json.get("variables"), json.get("extensions"));
  }

  private static Request fromQueryString(HttpExchange exchange) throws BadRequest {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        params.put(name, value);
      }
    }
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return toRequest(params.containsKey("query") ? nodes.textNode(params.get("query")) : null,
        params.containsKey("operationName") ? nodes.textNode(params.get("operationName")) : null,
        parseJsonParam(params.get("variables"), "variables"), parseJsonParam(params.get("extensions"), "extensions"));
  }

  private static @Nullable JsonNode parseJsonParam(@Nullable String value, String name) throws BadRequest {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new BadRequest(400, "the '" + name + "' parameter is not valid JSON");
    }
  }

  private static Request toRequest(@Nullable JsonNode query, @Nullable JsonNode operationName,
      @Nullable JsonNode variables, @Nullable JsonNode extensions) throws BadRequest {
    if (query == null || !query.isTextual() || query.asText().isBlank()) {
      throw new BadRequest(400, "the request has no 'query' (a GraphQL document as a string)");
    }
    if (operationName != null && !operationName.isNull() && !operationName.isTextual()) {
      throw new BadRequest(400, "'operationName' must be a string");
    }
    if (variables != null && !variables.isNull() && !variables.isObject()) {
      throw new BadRequest(400, "'variables' must be a JSON object");
    }
    return new Request(query.asText(),
        operationName == null || operationName.isNull() ? null : operationName.asText(),
        variables instanceof ObjectNode object ? object : JsonNodeFactory.instance.objectNode(),
        extensions == null ? JsonNodeFactory.instance.objectNode() : extensions);
  }

  private static byte[] readLimited(HttpExchange exchange) throws IOException, BadRequest {
    InputStream in = exchange.getRequestBody();
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      drain(in);
      throw new BadRequest(413, "the request body is larger than " + MAX_BODY + " bytes", "PAYLOAD_TOO_LARGE");
    }
    return body;
  }

  /** Most of an oversize body read and dropped so its client reads the refusal, not a reset. */
  private static final long MAX_DRAIN = 16L * 1024 * 1024;

  /**
   * Reads what is left of a refused body, up to {@link #MAX_DRAIN}: a connection closed with
   * unread bytes is reset, and the client would see the reset instead of the 413.
   */
  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long drained = 0;
    for (int n; drained < MAX_DRAIN && (n = in.read(buffer)) > 0; ) {
      drained += n;
    }
  }

  /** Answers given before (or instead of) reading a POST's whole body. */
  private static final Set<Integer> REFUSED_UNREAD = Set.of(403, 413, 415, 503);

  private static boolean acceptsGraphQlResponse(HttpExchange exchange) {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    return accept != null && accept.contains(GRAPHQL_RESPONSE)
        && (!accept.contains("application/json") || accept.indexOf(GRAPHQL_RESPONSE) < accept.indexOf("application/json"));
  }

  private static ObjectNode errors(String message, String code) {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    ObjectNode error = response.putArray("errors").addObject();
    error.put("message", message);
    error.putObject("extensions").put("code", code);
    return response;
  }

  private static void send(HttpExchange exchange, int status, ObjectNode body, boolean graphQlResponse)
      throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    if (exchange.getRequestMethod().equals("POST") && REFUSED_UNREAD.contains(status)) {
      // Refused before its body was read (or only in part): the rest of that body would be taken
      // for the next request on this connection, so the client must open a new one.
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.getResponseHeaders().set("Content-Type",
        (graphQlResponse ? GRAPHQL_RESPONSE : "application/json") + "; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private void health(HttpExchange exchange) throws IOException {
    try (exchange) {
      Gateway current = gateway.get();
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.put("status", current == null ? "STARTING" : "UP");
      if (current != null) {
        body.put("subgraphs", current.supergraph().graphs().size());
      }
      send(exchange, current == null ? 503 : 200, body, false);
    }
  }

  private void graphiql(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] page = graphiql.page();
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
    }
  }

  private void asset(HttpExchange exchange) throws IOException {
    try (exchange) {
      GraphiqlAssets.Asset asset = graphiql.asset(exchange.getRequestURI().getPath());
      if (asset == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", asset.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "public, max-age=86400");
      exchange.sendResponseHeaders(200, asset.bytes().length);
      exchange.getResponseBody().write(asset.bytes());
    }
  }

  private void root(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (exchange.getRequestURI().getPath().equals("/")) {
        exchange.getResponseHeaders().set("Location", "/graphiql");
        exchange.sendResponseHeaders(302, -1);
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
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

  @Override
  public void close() {
    server.stop(1);
    executor.shutdownNow();
    Gateway current = gateway.getAndSet(null);
    if (current != null) {
      current.close();
    }
  }
}
