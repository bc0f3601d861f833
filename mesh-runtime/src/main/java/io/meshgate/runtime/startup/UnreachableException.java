package io.meshgate.runtime.startup;

/** A dependency of the mesh (Kafka, Postgres) that could not be reached at startup. */
public final class UnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String system;
  private final String address;

  public UnreachableException(String system, String address, String reason) {
    super("cannot reach " + system + " at " + address + ": " + reason);
    this.system = system;
    this.address = address;
  }

  /** The system that could not be reached, e.g. {@code Kafka}. */
  public String system() {
    return system;
  }

  /** The address that was tried. */
  public String address() {
    return address;
  }
}
