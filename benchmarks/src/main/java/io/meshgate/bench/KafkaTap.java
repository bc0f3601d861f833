package io.meshgate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the change topic alongside the read model (no consumer group, from the end) to split the
 * latency: when the capture saw each change ({@code capturedAt} in the event) and when it could be
 * fetched from Kafka.
 */
final class KafkaTap implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Marker marker;
  private final ChangeTimeline timeline;
  private final Thread thread;
  private volatile boolean stopping;

  KafkaTap(String bootstrapServers, String topic, Marker marker, ChangeTimeline timeline) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-kafka-tap");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.marker = marker;
    this.timeline = timeline;
    this.thread = Thread.ofPlatform().name("bench-kafka-tap").daemon(true).unstarted(this::run);
  }

  /** Starts reading at the topic's current end. */
  void start() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " has no partitions");
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    thread.start();
  }

  private void run() {
    try {
      while (!stopping) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          record(record, timeline.now());
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void record(ConsumerRecord<byte[], byte[]> record, long fetchedAt) {
    if (record.value() == null) {
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(record.value());
    } catch (IOException e) {
      return;
    }
    long seq = marker.seqOf(event.path("after").path("name").asText(""));
    if (seq < 0 || seq >= timeline.capacity()) {
      return;
    }
    timeline.onKafka.compareAndSet((int) seq, 0, fetchedAt);
    try {
      String capturedAt = event.path("capturedAt").asText("");
      if (!capturedAt.isEmpty()) {
        timeline.captured.compareAndSet(
            (int) seq, 0, timeline.fromWallClock(Instant.parse(capturedAt)));
      }
    } catch (DateTimeParseException e) {
      // an event without a usable capture time only lacks that stage
    }
  }

  @Override
  public void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
