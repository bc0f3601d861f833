package io.meshgate.runtime.topics;

import io.meshgate.runtime.startup.UnreachableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a product writes, if they do not exist yet. */
public final class KafkaTopics {

  private KafkaTopics() {}

  /**
   * Ensures every topic exists.
   *
   * @throws UnreachableException naming the bootstrap servers when Kafka cannot be reached
   */
  public static void ensure(
      String bootstrapServers, Collection<String> topics, int partitions, short replicationFactor) {
    ensure(bootstrapServers, topics, partitions, replicationFactor, Map.of());
  }

  /**
   * Ensures every topic exists, creating missing ones with these topic configs (e.g. {@code
   * cleanup.policy=compact}).
   *
   * @throws UnreachableException naming the bootstrap servers when Kafka cannot be reached
   */
  public static void ensure(
      String bootstrapServers,
      Collection<String> topics,
      int partitions,
      short replicationFactor,
      Map<String, String> configs) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (String topic : topics) {
        if (!existing.contains(topic)) {
          Map<String, String> topicConfigs = new HashMap<>(configs);
          topicConfigs.put("min.insync.replicas", replicationFactor > 1 ? "2" : "1");
          missing.add(new NewTopic(topic, partitions, replicationFactor).configs(topicConfigs));
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      try {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    } catch (TimeoutException e) {
      throw new UnreachableException("Kafka", bootstrapServers, "no answer within 15 s");
    } catch (ExecutionException e) {
      throw new UnreachableException("Kafka", bootstrapServers, e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (KafkaException e) {
      throw new UnreachableException("Kafka", bootstrapServers, e.getMessage());
    }
  }
}
