package io.meshgate.product.cdc;

/**
 * Captures a product's committed changes from its database and hands them, in commit order, to an
 * {@link io.meshgate.product.publish.EventPublisher}. A source position is acknowledged to the
 * database only after its events are durably published, so a crash replays, never loses.
 */
public interface ChangeCapture extends AutoCloseable {

  /** Starts capturing in the background; returns at once. */
  void start();

  /** The state a health check reports. */
  CaptureStatus status();

  /** Stops capturing, flushing acknowledged source positions. */
  @Override
  void close();
}
