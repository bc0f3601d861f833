package io.meshgate.product.publish;

import io.meshgate.runtime.deadletter.DeadLetter;
import io.meshgate.runtime.deadletter.PublishException;
import io.meshgate.runtime.events.ChangeEvent;
import java.util.List;

/** Where a product's change events go. Implementations are named for their system. */
public interface EventPublisher extends AutoCloseable {

  /**
   * Publishes a batch of change events in order and returns once every one is durably written. An
   * event that fails its schema goes to the product's dead-letter topic instead, with the reason.
   *
   * @throws PublishException when the batch could not be written; none of it may be assumed
   *     written, and the caller must not acknowledge its source positions
   */
  void publish(List<ChangeEvent> events) throws PublishException;

  /** Writes one dead letter durably. */
  void deadLetter(DeadLetter letter) throws PublishException;

  @Override
  void close();
}
