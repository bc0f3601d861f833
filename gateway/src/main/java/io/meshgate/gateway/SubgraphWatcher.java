package io.meshgate.gateway;

import io.meshgate.gateway.compose.CompositionException;
import io.meshgate.gateway.compose.SubgraphIntrospection;
import io.meshgate.gateway.server.GatewayServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the subgraphs' SDL and recomposes when one changes. A composition that fails keeps the
 * gateway on its last good supergraph, and says why.
 */
public final class SubgraphWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SubgraphWatcher.class);

  private final Map<String, URI> subgraphs;
  private final GatewayOptions options;
  private final GatewayServer server;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("gateway-subgraph-watcher").daemon(true).factory());
  private volatile Map<String, String> lastSdls;

  /**
   * @param initialSdls the SDLs the current supergraph was composed from
   */
  public SubgraphWatcher(
      Map<String, URI> subgraphs,
      Map<String, String> initialSdls,
      GatewayOptions options,
      GatewayServer server,
      Duration interval) {
    this.subgraphs = Map.copyOf(subgraphs);
    this.options = options;
    this.server = server;
    this.lastSdls = Map.copyOf(initialSdls);
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Checks once; recomposes and swaps the gateway if any subgraph's SDL changed. */
  public void poll() {
    try {
      Map<String, String> sdls =
          SubgraphIntrospection.fetchSdls(subgraphs, options.subgraphTimeout());
      if (sdls.equals(lastSdls)) {
        return;
      }
      String supergraph = SubgraphIntrospection.compose(sdls, subgraphs);
      server.swap(Gateway.fromSupergraph(supergraph, options));
      lastSdls = Map.copyOf(sdls);
      log.info("a subgraph schema changed; recomposed the supergraph");
    } catch (CompositionException e) {
      log.error(
          "a subgraph schema changed but does not compose; still serving the last good supergraph:"
              + " {}",
          e.getMessage());
    } catch (RuntimeException e) {
      log.warn("could not check the subgraph schemas: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
