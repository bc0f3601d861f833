package io.meshgate.gateway.execute;

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

  /** {@code SUBGRAPH_REQUEST_FAILED}, {@code SUBGRAPH_TIMEOUT} or {@code SUBGRAPH_INVALID_RESPONSE}. */
  public String code() {
    return code;
  }
}
