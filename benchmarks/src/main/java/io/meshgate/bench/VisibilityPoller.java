package io.meshgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * Watches the sales subgraph the way a client would: over HTTP with one keep-alive connection, it
 * asks for every customer with pending changes in one {@code _entities} query per poll (chunked
 * beyond {@value #MAX_PER_REQUEST}) and marks a change visible when the answer shows its marker or
 * a later one. A change counts as visible when the response that showed it was received.
 */
final class VisibilityPoller implements AutoCloseable {

  private static final int MAX_PER_REQUEST = 500;
  private static final String QUERY =
      "query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { id name } }"
          + " }";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI graphql;
  private final Duration interval;
  private final Marker marker;
  private final ChangeTimeline timeline;
  private final PendingChanges pending;

  /** The client's threads, the JDK's default pool named for the poller (docs/architecture.md). */
  private final ExecutorService clientThreads =
      Executors.newCachedThreadPool(
          Thread.ofPlatform()
              .name("bench-visibility-poller-http-", 0)
              .daemon(true)
              .inheritInheritableThreadLocals(false)
              .factory());

  private final HttpClient client;
  private final Thread thread;
  private final Recorder latencyMicros = new Recorder(3);
  private final Recorder roundTripMicros = new Recorder(3);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile @Nullable String lastError;
  private volatile boolean stopping;

  VisibilityPoller(
      URI salesUrl,
      Duration interval,
      Marker marker,
      ChangeTimeline timeline,
      PendingChanges pending) {
    this.graphql = salesUrl.resolve("/graphql");
    this.interval = interval;
    this.marker = marker;
    this.timeline = timeline;
    this.pending = pending;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(clientThreads)
            .build();
    this.thread =
        Thread.ofPlatform().name("bench-visibility-poller").daemon(true).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** Commit-to-visible latencies (µs) of changes seen since the last call. */
  Histogram latencySinceLastCall() {
    return latencyMicros.getIntervalHistogram();
  }

  /** HTTP round trips (µs) since the last call. */
  Histogram roundTripsSinceLastCall() {
    return roundTripMicros.getIntervalHistogram();
  }

  long requests() {
    return requests.get();
  }

  long errors() {
    return errors.get();
  }

  @Nullable String lastError() {
    return lastError;
  }

  private void run() {
    while (!stopping) {
      long started = timeline.now();
      try {
        pollOnce();
      } catch (IOException | RuntimeException e) {
        errors.incrementAndGet();
        lastError = e.toString();
      } catch (InterruptedException e) {
        return;
      }
      long wait;
      while (!stopping && (wait = started + interval.toNanos() - timeline.now()) > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  private void pollOnce() throws IOException, InterruptedException {
    List<UUID> customers = pending.customers();
    for (int from = 0; from < customers.size() && !stopping; from += MAX_PER_REQUEST) {
      List<UUID> chunk =
          customers.subList(from, Math.min(customers.size(), from + MAX_PER_REQUEST));
      long sent = timeline.now();
      HttpResponse<byte[]> response =
          client.send(request(chunk), HttpResponse.BodyHandlers.ofByteArray());
      long received = timeline.now();
      requests.incrementAndGet();
      roundTripMicros.recordValue((received - sent) / 1_000);
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " from " + graphql);
      }
      JsonNode root = JSON.readTree(response.body());
      if (root.hasNonNull("errors")) {
        throw new IOException("GraphQL errors: " + root.get("errors"));
      }
      for (JsonNode entity : root.path("data").path("_entities")) {
        markSeen(entity, received);
      }
    }
  }

  private void markSeen(JsonNode entity, long received) {
    if (entity.isNull()) {
      return; // an insert not yet applied to the read model
    }
    long seen = marker.seqOf(entity.path("name").asText(""));
    if (seen < 0) {
      return;
    }
    UUID customer = UUID.fromString(entity.path("id").asText());
    for (long seq : pending.resolve(customer, seen)) {
      if (timeline.markVisible(seq, received)) {
        latencyMicros.recordValue(
            Math.max(0, received - timeline.committed.get((int) seq)) / 1_000);
      }
    }
  }

  private HttpRequest request(List<UUID> customers) {
    StringBuilder body =
        new StringBuilder(64 + customers.size() * 64)
            .append("{\"query\":\"")
            .append(QUERY)
            .append("\",\"variables\":{\"reps\":[");
    for (int i = 0; i < customers.size(); i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"__typename\":\"Customer\",\"id\":\"")
          .append(customers.get(i))
          .append("\"}");
    }
    body.append("]}}");
    return HttpRequest.newBuilder(graphql)
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Accept", "application/graphql-response+json, application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(Duration.ofSeconds(15));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
    clientThreads.shutdown();
  }
}
