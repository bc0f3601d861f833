package io.meshgate.gateway.execute;

import io.meshgate.gateway.plan.Deadline;

/** A subgraph request that failed as a whole. */
public final class SubgraphException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String subgraph;
  private final String code;

  public SubgraphException(String subgraph, String code, String message) {
    super(message);
    this.subgraph = subgraph;
    this.code = code;
  }

  public String subgraph() {
    return subgraph;
  }

  /**
   * The request's deadline passed, or the request was cancelled, before the subgraph answered (or
   * before it was asked).
   */
  static SubgraphException deadlinePassed(String subgraph, Deadline deadline) {
    String cancelled = deadline.cancelled();
    if (cancelled != null) {
      return new SubgraphException(
          subgraph,
          "REQUEST_CANCELLED",
          "subgraph '"
              + subgraph
              + "' was not asked or its answer was not awaited: the request was cancelled ("
              + cancelled
              + ")");
    }
    return new SubgraphException(
        subgraph,
        "GATEWAY_TIMEOUT",
        "subgraph '"
            + subgraph
            + "' was not asked or did not answer within the request's deadline of "
            + deadline.budget().toMillis()
            + " ms");
  }

  /**
   * {@code SUBGRAPH_REQUEST_FAILED}, {@code SUBGRAPH_TIMEOUT}, {@code SUBGRAPH_INVALID_RESPONSE},
   * {@code SUBGRAPH_RESPONSE_TOO_LARGE}, {@code GATEWAY_TIMEOUT} or {@code REQUEST_CANCELLED}.
   */
  public String code() {
    return code;
  }
}
