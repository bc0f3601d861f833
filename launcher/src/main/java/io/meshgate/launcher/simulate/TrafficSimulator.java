package io.meshgate.launcher.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the demo mesh: places orders for sample customers at a steady rate through the gateway,
 * ships most of them and cancels some a moment later, and pays open invoices, so every product,
 * subscription and stream processor has work. Everything goes through the public graph, as a client
 * would.
 */
public final class TrafficSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TrafficSimulator.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CURRENCIES = List.of("EUR", "EUR", "EUR", "USD", "GBP");
  private static final List<String> SKUS =
      List.of(
          "LAMP-LED",
          "DESK-STAND",
          "CHAIR-ERGO",
          "MONITOR-27",
          "PEN-GEL",
          "NOTEBOOK-A5",
          "CABLE-USB-C",
          "HEADSET-BT");
  private static final List<String> CARRIERS = List.of("DHL", "UPS", "DPD", "GLS");
  private static final String PLACE =
      "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }";
  private static final String SHIP =
      "mutation($id: ID!, $carrier: String!) { shipOrder(id: $id, carrier: $carrier) { id } }";
  private static final String CANCEL = "mutation($id: ID!) { cancelOrder(id: $id) { id } }";
  private static final String OPEN_INVOICES =
      "query($first: Int) { invoices(status: OPEN, first: $first) { edges { node { id } } } }";
  private static final String PAY = "mutation($id: ID!) { payInvoice(id: $id) { id } }";

  /** Requests in flight at most; beyond it the simulator falls behind rather than piling up. */
  private static final int IN_FLIGHT = 64;

  private static final long TICK_MILLIS = 10;

  private final URI graphql;
  private final int ordersPerSecond;
  private final Consumer<PlacedOrder> onPlaced;

  /**
   * The HTTP client's threads: the same cached pool of daemon threads the JDK would give it, named
   * for the simulator rather than by a counter ({@code HttpClient-4-Worker-0}).
   */
  private final ExecutorService httpThreads =
      Executors.newCachedThreadPool(
          Thread.ofPlatform()
              .name("meshgate-simulator-http-", 0)
              .daemon(true)
              .inheritInheritableThreadLocals(false)
              .factory());

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(httpThreads).build();
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          1, Thread.ofPlatform().name("meshgate-simulator").daemon(true).factory());
  private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
  private final AtomicLong placed = new AtomicLong();
  private final AtomicLong shipped = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong paid = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private List<String> customers = List.of();
  private List<String> warehouses = List.of();
  private long startedNanos;
  private long due;

  /**
   * @param gateway the gateway's base URL
   * @param ordersPerSecond orders placed per second
   * @param onPlaced told about every order placed, when the gateway acknowledged it
   */
  public TrafficSimulator(URI gateway, int ordersPerSecond, Consumer<PlacedOrder> onPlaced) {
    if (ordersPerSecond <= 0) {
      throw new IllegalArgumentException("orders per second must be positive: " + ordersPerSecond);
    }
    this.graphql = gateway.resolve("/graphql");
    this.ordersPerSecond = ordersPerSecond;
    this.onPlaced = onPlaced;
  }

  /** An order the simulator placed: its id and when the gateway answered (its commit). */
  public record PlacedOrder(String id, Instant committed, long committedNanos) {}

  /**
   * What the simulator did so far.
   *
   * @param refused follow-ups a product refused because their entity had changed meanwhile (an
   *     order cancelled before it was shipped, an invoice voided before it was paid): expected now
   *     and then in a random workload, and answered with {@code BAD_USER_INPUT}
   * @param failed requests that got no answer, or an error other than such a refusal
   */
  public record Stats(
      long placed,
      long shipped,
      long cancelled,
      long paid,
      long refused,
      long failed,
      long skipped) {}

  /**
   * Reads the sample customers and warehouses, then starts placing orders.
   *
   * @throws IllegalStateException when the mesh has no customers or warehouses to simulate with
   */
  public void start() throws IOException, InterruptedException {
    customers =
        ids(
            execute("{ customers(first: 500) { edges { node { id } } } }", Map.of())
                .at("/customers/edges"),
            "/node/id");
    warehouses = ids(execute("{ warehouses { id } }", Map.of()).path("warehouses"), "/id");
    if (customers.isEmpty() || warehouses.isEmpty()) {
      throw new IllegalStateException(
          "the simulator needs customers and warehouses; start the mesh with sample data");
    }
    startedNanos = System.nanoTime();
    scheduler.scheduleAtFixedRate(this::placeDueOrders, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::payInvoices, 1, 1, TimeUnit.SECONDS);
    scheduler.scheduleAtFixedRate(
        () -> log.info("simulator: {}", stats()), 10, 10, TimeUnit.SECONDS);
  }

  /** Counts so far. */
  public Stats stats() {
    return new Stats(
        placed.get(),
        shipped.get(),
        cancelled.get(),
        paid.get(),
        refused.get(),
        failed.get(),
        skipped.get());
  }

  private void placeDueOrders() {
    long target = (System.nanoTime() - startedNanos) * ordersPerSecond / 1_000_000_000L;
    while (due < target) {
      due++;
      if (!inFlight.tryAcquire()) {
        skipped.incrementAndGet();
        continue;
      }
      send(PLACE, Map.of("input", orderInput()))
          .whenComplete(
              (data, error) -> {
                inFlight.release();
                if (error != null || data == null) {
                  failed.incrementAndGet();
                  return;
                }
                long nanos = System.nanoTime();
                String id = data.at("/placeOrder/id").asText();
                placed.incrementAndGet();
                onPlaced.accept(new PlacedOrder(id, Instant.now(), nanos));
                followUp(id);
              });
    }
  }

  private void followUp(String orderId) {
    double roll = ThreadLocalRandom.current().nextDouble();
    long delay = 500 + ThreadLocalRandom.current().nextLong(2_000);
    if (roll < 0.6) {
      String carrier = pick(CARRIERS);
      scheduler.schedule(
          () -> act(SHIP, Map.of("id", orderId, "carrier", carrier), shipped),
          delay,
          TimeUnit.MILLISECONDS);
    } else if (roll < 0.7) {
      scheduler.schedule(
          () -> act(CANCEL, Map.of("id", orderId), cancelled), delay, TimeUnit.MILLISECONDS);
    }
  }

  private void payInvoices() {
    int batch = Math.max(1, ordersPerSecond / 2);
    send(OPEN_INVOICES, Map.of("first", Math.min(batch, 500)))
        .whenComplete(
            (data, error) -> {
              if (error != null || data == null) {
                failed.incrementAndGet();
                return;
              }
              for (JsonNode edge : data.at("/invoices/edges")) {
                if (ThreadLocalRandom.current().nextBoolean()) {
                  act(PAY, Map.of("id", edge.at("/node/id").asText()), paid);
                }
              }
            });
  }

  private void act(String mutation, Map<String, Object> variables, AtomicLong done) {
    if (!inFlight.tryAcquire()) {
      skipped.incrementAndGet();
      return;
    }
    send(mutation, variables)
        .whenComplete(
            (data, error) -> {
              inFlight.release();
              if (refusedAsChanged(error)) {
                refused.incrementAndGet();
              } else if (error != null || data == null) {
                failed.incrementAndGet();
              } else {
                done.incrementAndGet();
              }
            });
  }

  private Map<String, Object> orderInput() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    List<Map<String, Object>> lines = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      lines.add(
          Map.of(
              "sku",
              pick(SKUS),
              "quantity",
              1 + random.nextInt(4),
              "unitPrice",
              (5 + random.nextInt(200)) + "." + String.format("%02d", random.nextInt(100))));
    }
    return Map.of(
        "customerId",
        pick(customers),
        "warehouseId",
        pick(warehouses),
        "currency",
        pick(CURRENCIES),
        "lines",
        lines);
  }

  private static <T> T pick(List<T> values) {
    return values.get(ThreadLocalRandom.current().nextInt(values.size()));
  }

  private CompletableFuture<JsonNode> send(String query, Map<String, Object> variables) {
    return http.sendAsync(request(query, variables), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(
            response -> {
              try {
                return data(JSON.readTree(response.body()));
              } catch (IOException e) {
                throw new IllegalStateException(
                    "gateway answered with something that is not JSON", e);
              }
            });
  }

  private JsonNode execute(String query, Map<String, Object> variables)
      throws IOException, InterruptedException {
    return data(
        JSON.readTree(
            http.send(request(query, variables), HttpResponse.BodyHandlers.ofByteArray()).body()));
  }

  private HttpRequest request(String query, Map<String, Object> variables) {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", query);
    body.set("variables", JSON.valueToTree(variables));
    return HttpRequest.newBuilder(graphql)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  private static JsonNode data(JsonNode response) {
    if (response.has("errors") && !response.path("errors").isEmpty()) {
      JsonNode first = response.path("errors").get(0);
      throw new GraphQlError(
          first.path("message").asText(), first.path("extensions").path("code").asText());
    }
    return response.path("data");
  }

  /**
   * Whether a follow-up was refused because its entity changed since the simulator chose it (an
   * order cancelled or shipped in the meantime, an invoice voided or paid): the product answers
   * such a request with {@code BAD_USER_INPUT}.
   */
  private static boolean refusedAsChanged(@Nullable Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof GraphQlError graphQl) {
        return graphQl.code.equals("BAD_USER_INPUT");
      }
    }
    return false;
  }

  /** The first error of a GraphQL answer, with its code. */
  private static final class GraphQlError extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final String code;

    GraphQlError(String message, String code) {
      super(message + (code.isEmpty() ? "" : " (" + code + ")"));
      this.code = code;
    }
  }

  private static List<String> ids(JsonNode nodes, String pointer) {
    List<String> ids = new ArrayList<>();
    nodes.forEach(node -> ids.add(node.at(pointer).asText()));
    return ids;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    http.close();
    httpThreads.shutdown();
  }
}
