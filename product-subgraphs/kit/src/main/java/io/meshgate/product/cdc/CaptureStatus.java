package io.meshgate.product.cdc;

import org.jspecify.annotations.Nullable;

/**
 * What a change capture is doing.
 *
 * @param state lifecycle state
 * @param eventsPublished change events published since start
 * @param lastError the last failure, if the capture is retrying
 */
public record CaptureStatus(State state, long eventsPublished, @Nullable String lastError) {

  /** Lifecycle states of a capture. */
  public enum State {
    STARTING,
    RUNNING,
    RETRYING,
    /**
     * Stopped for a reason retrying cannot fix (an invalidated replication slot); see the last
     * error.
     */
    FAILED,
    STOPPED
  }
}
