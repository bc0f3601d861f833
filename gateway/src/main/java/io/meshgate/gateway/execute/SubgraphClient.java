package io.meshgate.gateway.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/** Sends one GraphQL request to one subgraph. Implementations are named for their transport. */
public interface SubgraphClient extends AutoCloseable {

  /**
   * Sends {@code query} with {@code variables} to {@code subgraph}.
   *
   * @return the response document; completes exceptionally with {@link SubgraphException} on a
   *     transport error, a timeout, a non-2xx status or a body that is not a GraphQL response
   */
  CompletableFuture<JsonNode> execute(String subgraph, String query, ObjectNode variables);

  /**
   * Sends the request and waits for the answer; meant for virtual threads.
   *
   * @throws SubgraphException as {@link #execute} completes exceptionally
   */
  default JsonNode send(String subgraph, String query, ObjectNode variables) {
    try {
      return execute(subgraph, query, variables).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  default void close() {}
}
