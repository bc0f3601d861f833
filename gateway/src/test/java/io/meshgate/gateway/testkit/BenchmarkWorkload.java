package io.meshgate.gateway.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The files of the public gateways-benchmark workload, copied byte for byte under {@code
 * gateways-benchmark/} on the test classpath.
 */
public final class BenchmarkWorkload {

  private static final String FOLDER = "/gateways-benchmark/";

  private BenchmarkWorkload() {}

  /**
   * The composed supergraph, with the original subgraph URLs ({@code http://0.0.0.0:4200/<name>}).
   */
  public static String supergraphSdl() {
    return read("supergraph.graphql");
  }

  /** The benchmark operation {@code TestQuery}. */
  public static String query() {
    return read("query.graphql");
  }

  /** The POST body the load generator sends ({@code {"query": ...}}). */
  public static String requestJson() {
    return read("request.json");
  }

  /** The exact answer a correct gateway returns to {@link #requestJson()}. */
  public static String expectedResponseJson() {
    return read("expected-response.json");
  }

  /** The static data the four subgraphs serve. */
  public static String subgraphDataJson() {
    return read("subgraph-data.json");
  }

  static String read(String fileName) {
    try (InputStream in = BenchmarkWorkload.class.getResourceAsStream(FOLDER + fileName)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + FOLDER + fileName);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
