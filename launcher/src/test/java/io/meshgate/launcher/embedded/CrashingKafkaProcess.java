package io.meshgate.launcher.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A JVM for {@link EmbeddedKafkaBrokerIT} to kill: starts a broker over {@code args[0]}, creates
 * topic {@code args[1]} and acknowledges {@code args[2]} messages on it, prints {@code READY} and
 * waits to be killed without ever closing the broker.
 */
final class CrashingKafkaProcess {

  private CrashingKafkaProcess() {}

  public static void main(String[] args) throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(Path.of(args[0]), 0);
    String topic = args[1];
    int messages = Integer.parseInt(args[2]);
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < messages; i++) {
        producer
            .send(new ProducerRecord<>(topic, "key-" + i, "order-" + i))
            .get(30, TimeUnit.SECONDS);
      }
    }
    System.out.println(ChildJvm.READY);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
