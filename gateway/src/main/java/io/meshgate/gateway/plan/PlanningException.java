package io.meshgate.gateway.plan;

/** An operation the supergraph cannot answer, with the type and field that cannot be reached. */
public final class PlanningException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PlanningException(String message) {
    super(message);
  }
}
