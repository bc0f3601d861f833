package io.meshgate.gateway.testkit;

import graphql.schema.GraphQLSchema;
import io.meshgate.gateway.testkit.InventorySubgraph.ShippingEstimate;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four subgraphs of the public gateways-benchmark workload (accounts, inventory, products,
 * reviews) serving its data over HTTP, each on its own port; {@link #supergraphSdl()} routes the
 * workload's supergraph to them.
 *
 * <pre>{@code
 * try (BenchmarkSubgraphs subgraphs = BenchmarkSubgraphs.start()) {
 *   Gateway gateway = ...(subgraphs.supergraphSdl());
 *   // POST BenchmarkWorkload.requestJson(), expect BenchmarkWorkload.expectedResponseJson()
 * }
 * }</pre>
 */
public final class BenchmarkSubgraphs implements AutoCloseable {

  /** The subgraph names, in the supergraph's order. */
  public static final List<String> NAMES = List.of("accounts", "inventory", "products", "reviews");

  private static final Pattern JOIN_GRAPH =
      Pattern.compile("(@join__graph\\(name: \"([^\"]+)\", url: \")([^\"]*)(\"\\))");

  private final Map<String, SubgraphServer> servers;

  private BenchmarkSubgraphs(Map<String, SubgraphServer> servers) {
    this.servers = servers;
  }

  /**
   * Starts the four subgraphs exactly as the benchmark defines them ({@code shippingEstimate} is
   * always null).
   */
  public static BenchmarkSubgraphs start() {
    return start(ShippingEstimate.BENCHMARK);
  }

  /**
   * Starts the four subgraphs, with inventory estimating shipping as {@code shippingEstimate} says.
   */
  public static BenchmarkSubgraphs start(ShippingEstimate shippingEstimate) {
    BenchmarkData data = BenchmarkData.load();
    Map<String, GraphQLSchema> schemas = new LinkedHashMap<>();
    schemas.put("accounts", AccountsSubgraph.schema(data));
    schemas.put("inventory", InventorySubgraph.schema(data, shippingEstimate));
    schemas.put("products", ProductsSubgraph.schema(data));
    schemas.put("reviews", ReviewsSubgraph.schema(data));
    Map<String, SubgraphServer> servers = new LinkedHashMap<>();
    try {
      schemas.forEach((name, schema) -> servers.put(name, SubgraphServer.start(name, schema)));
    } catch (RuntimeException e) {
      servers.values().forEach(SubgraphServer::close);
      throw e;
    }
    return new BenchmarkSubgraphs(servers);
  }

  /** The endpoint of subgraph {@code name}. */
  public URI url(String subgraphName) {
    return server(subgraphName).url();
  }

  /** The endpoints of the four subgraphs, by name, in {@link #NAMES} order. */
  public Map<String, URI> urls() {
    Map<String, URI> urls = new LinkedHashMap<>();
    servers.forEach((name, server) -> urls.put(name, server.url()));
    return urls;
  }

  /** The server of subgraph {@code name}, to inject faults or read its counters. */
  public SubgraphServer server(String subgraphName) {
    SubgraphServer server = servers.get(subgraphName);
    if (server == null) {
      throw new IllegalArgumentException(
          "no benchmark subgraph " + subgraphName + "; known: " + NAMES);
    }
    return server;
  }

  /** The four servers, in {@link #NAMES} order. */
  public List<SubgraphServer> servers() {
    return List.copyOf(servers.values());
  }

  /** Resets counters, recorded requests and faults of every server. */
  public void reset() {
    servers.values().forEach(SubgraphServer::reset);
  }

  /**
   * The workload's supergraph with each {@code @join__graph} url pointing at the running subgraph.
   */
  public String supergraphSdl() {
    Matcher matcher = JOIN_GRAPH.matcher(BenchmarkWorkload.supergraphSdl());
    StringBuilder sdl = new StringBuilder();
    List<String> rewritten = new ArrayList<>();
    while (matcher.find()) {
      String name = matcher.group(2);
      rewritten.add(name);
      matcher.appendReplacement(
          sdl, Matcher.quoteReplacement(matcher.group(1) + url(name) + matcher.group(4)));
    }
    matcher.appendTail(sdl);
    if (!rewritten.equals(NAMES)) {
      throw new IllegalStateException(
          "supergraph names subgraphs " + rewritten + ", expected " + NAMES);
    }
    return sdl.toString();
  }

  /** Stops the four servers. */
  @Override
  public void close() {
    servers.values().forEach(SubgraphServer::close);
  }

  @Override
  public String toString() {
    return "BenchmarkSubgraphs" + urls();
  }
}
