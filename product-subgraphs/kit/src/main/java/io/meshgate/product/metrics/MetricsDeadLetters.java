package io.meshgate.product.metrics;

import io.meshgate.runtime.consume.Failures;
import io.meshgate.runtime.deadletter.DeadLetter;
import io.meshgate.runtime.deadletter.KafkaDeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record the metric processors fail on to the product's dead-letter topic (stage {@code
 * metrics}) with the reason, and lets processing go on. Without it a record that makes a processor
 * throw fails the stream thread, which is replaced and reads the same record again: the product's
 * metrics would stop for good. The processors are pure functions of the record and their state, so
 * trying the record again would fail again; the dead letter is written in the same transaction as
 * the processors' output.
 */
public final class MetricsDeadLetters
    implements ProcessingExceptionHandler, DeserializationExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(MetricsDeadLetters.class);

  /** The stage dead letters of the metric processors name. */
  public static final String STAGE = "metrics";

  private String product = "unknown";

  @Override
  public void configure(Map<String, ?> configs) {
    Object applicationId = configs.get(StreamsConfig.APPLICATION_ID_CONFIG);
    if (applicationId != null) {
      product = MetricsStreams.product(applicationId.toString());
    }
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return ProcessingExceptionHandler.Response.resume(
        List.of(
            deadLetter(
                context,
                exception,
                "the metric processor " + context.processorNodeId() + " failed on it")));
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    return DeserializationExceptionHandler.Response.resume(
        List.of(deadLetter(context, exception, "the metric processors could not deserialize it")));
  }

  private ProducerRecord<byte[], byte[]> deadLetter(
      ErrorHandlerContext context, Exception exception, String what) {
    String origin = context.topic() + "/" + context.partition() + "@" + context.offset();
    String reason = what + ": " + Failures.describe(exception);
    DeadLetter letter =
        new DeadLetter(
            product,
            STAGE,
            List.of(reason),
            origin,
            text(context.sourceRawKey()),
            text(context.sourceRawValue()),
            Instant.now());
    log.error(
        "{} metrics: {} {}; it is on the dead-letter topic and processing goes on",
        product,
        origin,
        reason,
        exception);
    ProducerRecord<String, byte[]> record = KafkaDeadLetters.record(letter);
    ProducerRecord<byte[], byte[]> raw =
        new ProducerRecord<>(record.topic(), null, context.sourceRawKey(), record.value());
    record.headers().forEach(raw.headers()::add);
    return raw;
  }

  private static @Nullable String text(byte @Nullable [] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
