package io.meshgate.audit.ingest;

import io.meshgate.audit.store.AuditLog;
import io.meshgate.runtime.deadletter.KafkaDeadLetters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an {@link AuditConsumer} subscribed to every change topic there is: lists the cluster's
 * topics at start and then every {@code interval}, and when the change topics differ from those
 * consumed, replaces the consumer by one over the new set. The replaced consumer commits what it
 * appended before it stops, so the new one resumes where it left off; a product added later is
 * logged from its first event.
 */
public final class ChangeTopicWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChangeTopicWatcher.class);

  private final AuditLog auditLog;
  private final String bootstrapServers;
  private final Map<String, Object> consumerOverrides;
  private final Admin admin;
  private final KafkaDeadLetters deadLetters;
  private final ScheduledExecutorService schedule;
  private List<String> consumedTopics = List.of();
  private @Nullable AuditConsumer consumer;

  /**
   * Starts watching; the first listing runs at once, in the background.
   *
   * @param interval how often to look for new change topics
   * @param consumerOverrides consumer properties on top of {@link AuditConsumer}'s defaults
   */
  public ChangeTopicWatcher(
      AuditLog auditLog,
      String bootstrapServers,
      Duration interval,
      Map<String, Object> consumerOverrides) {
    this.auditLog = auditLog;
    this.bootstrapServers = bootstrapServers;
    this.consumerOverrides = Map.copyOf(consumerOverrides);
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, AuditConsumer.GROUP_ID + "-topic-watcher");
    this.admin = Admin.create(props);
    this.deadLetters =
        new KafkaDeadLetters(bootstrapServers, AuditConsumer.GROUP_ID + "-dead-letters");
    this.schedule =
        Executors.newSingleThreadScheduledExecutor(
            runnable ->
                Thread.ofPlatform()
                    .name("meshgate-audit-topic-watcher")
                    .daemon(true)
                    .unstarted(runnable));
    schedule.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The change topics currently consumed. */
  public synchronized List<String> consumedTopics() {
    return consumedTopics;
  }

  private synchronized void refresh() {
    List<String> topics;
    try {
      topics = ChangeTopics.among(admin.listTopics().names().get(15, TimeUnit.SECONDS));
    } catch (Exception e) {
      // Kafka may be restarting: the next run tries again, and the current consumer goes on.
      log.warn(
          "Could not list Kafka topics to find new change topics ({}); trying again later",
          e.toString());
      return;
    }
    if (topics.equals(consumedTopics)) {
      return;
    }
    if (consumer != null) {
      consumer.close();
    }
    log.info("Audit log consuming {} change topics: {}", topics.size(), topics);
    consumedTopics = topics;
    consumer =
        topics.isEmpty()
            ? null
            : new AuditConsumer(auditLog, topics, deadLetters, bootstrapServers, consumerOverrides);
    if (consumer != null) {
      consumer.start();
    }
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    try {
      schedule.awaitTermination(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConsumer();
  }

  private synchronized void closeConsumer() {
    if (consumer != null) {
      consumer.close();
      consumer = null;
    }
    admin.close(Duration.ofSeconds(5));
    deadLetters.close();
  }
}
