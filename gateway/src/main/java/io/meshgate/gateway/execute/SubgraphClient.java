package io.meshgate.gateway.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.gateway.plan.Deadline;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * Sends the request and waits for the answer at most until {@code deadline}; meant for virtual
   * threads.
   *
   * @throws SubgraphException as {@link #execute} completes exceptionally, or with code {@code
   *     GATEWAY_TIMEOUT} when the deadline passes first (the request is then cancelled)
   */
  default JsonNode send(String subgraph, String query, ObjectNode variables, Deadline deadline) {
    if (deadline.passed()) {
      throw SubgraphException.deadlinePassed(subgraph, deadline);
    }
    CompletableFuture<JsonNode> answer = execute(subgraph, query, variables);
    try (Deadline.Wait wait = deadline.waiting()) {
      return answer.get(Math.max(1, deadline.remaining().toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw SubgraphException.deadlinePassed(subgraph, deadline);
    } catch (InterruptedException e) {
      answer.cancel(true);
      if (deadline.cancelled() != null) {
        throw SubgraphException.deadlinePassed(subgraph, deadline);
      }
      Thread.currentThread().interrupt();
      throw new SubgraphException(
          subgraph, "SUBGRAPH_REQUEST_FAILED", "interrupted while waiting for '" + subgraph + "'");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new SubgraphException(
          subgraph,
          "SUBGRAPH_REQUEST_FAILED",
          "request to subgraph '" + subgraph + "' failed: " + e.getCause());
    }
  }

  @Override
  default void close() {}
}
