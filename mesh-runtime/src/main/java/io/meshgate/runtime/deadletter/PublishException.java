package io.meshgate.runtime.deadletter;

/** A batch that could not be durably written to the event backbone. */
public final class PublishException extends Exception {

  private static final long serialVersionUID = 1L;

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
