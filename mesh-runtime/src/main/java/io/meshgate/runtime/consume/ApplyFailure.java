package io.meshgate.runtime.consume;

import io.meshgate.runtime.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Why a record is set aside: it failed to apply {@code attempts} times in a row, the last time with
 * {@code cause}.
 *
 * @param cause the last failure
 * @param attempts how many times applying the record was tried
 */
public record ApplyFailure(Exception cause, int attempts) {

  /** The reason as dead letters and logs give it: attempts, exception class and message. */
  public String reason() {
    return "could not be applied after " + attempts + " attempts: " + Failures.describe(cause);
  }

  /** Where a record came from, as dead letters name it: {@code topic/partition@offset}. */
  public static String origin(ConsumerRecord<String, byte[]> record) {
    return record.topic() + "/" + record.partition() + "@" + record.offset();
  }

  /**
   * A dead letter of {@code record} for {@code product}'s dead-letter topic, rejected at {@code
   * stage}.
   */
  public DeadLetter deadLetter(
      String product, String stage, ConsumerRecord<String, byte[]> record) {
    String payload =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    return new DeadLetter(
        product, stage, List.of(reason()), origin(record), record.key(), payload, Instant.now());
  }
}
