package io.meshgate.gateway.supergraph;

/** A supergraph that cannot be used, with what is wrong with it. */
public final class SupergraphException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SupergraphException(String message) {
    super(message);
  }
}
