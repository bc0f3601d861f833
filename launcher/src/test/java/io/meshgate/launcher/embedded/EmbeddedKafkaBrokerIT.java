package io.meshgate.launcher.embedded;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIT {

  private static final String TOPIC = "orders";
  private static final String GROUP = "order-projector";
  private static final int MESSAGES = 30;
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dataDirectory;

  @Test
  void keepsTopicsMessagesAndCommittedOffsetsAcrossRestart() throws Exception {
    List<String> sent = IntStream.range(0, MESSAGES).mapToObj(i -> "order-" + i).toList();
    String clusterId;
    Map<TopicPartition, Long> committed;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, 0)) {
      clusterId = broker.clusterId();
      try (Admin admin = admin(broker)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, SECONDS);
      }
      produce(broker, sent);
      committed = consumeSomeAndCommit(broker, 10);
    }
    long consumedBeforeRestart = committed.values().stream().mapToLong(Long::longValue).sum();
    assertThat(consumedBeforeRestart).isBetween(1L, MESSAGES - 1L);

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, 0)) {
      assertThat(broker.clusterId()).isEqualTo(clusterId);
      try (Admin admin = admin(broker)) {
        TopicDescription topic =
            admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, SECONDS).get(TOPIC);
        assertThat(topic.partitions()).hasSize(3);
        assertThat(committedOffsets(admin)).isEqualTo(committed);
      }
      assertThat(readAllFromBeginning(broker, MESSAGES)).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(resumeGroup(broker, MESSAGES - (int) consumedBeforeRestart))
          .hasSize(MESSAGES - (int) consumedBeforeRestart)
          .doesNotContainAnyElementsOf(consumedBefore(sent, committed, broker));
    }
  }

  @Test
  void listensOnTheRequestedPort() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, port)) {
      assertThat(broker.port()).isEqualTo(port);
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      try (Admin admin = admin(broker)) {
        assertThat(admin.describeCluster().clusterId().get(30, SECONDS))
            .isEqualTo(broker.clusterId());
      }
    }
  }

  @Test
  void recoversFromAJvmKilledWhileTheBrokerRan() throws Exception {
    try (ChildJvm crashing =
        ChildJvm.start(
            CrashingKafkaProcess.class,
            dataDirectory.toString(),
            TOPIC,
            Integer.toString(MESSAGES))) {
      crashing.awaitReady();
      crashing.kill();
    }

    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, 0)) {
      assertThat(readAllFromBeginning(broker, MESSAGES))
          .containsExactlyInAnyOrderElementsOf(
              IntStream.range(0, MESSAGES).mapToObj(i -> "order-" + i).toList());
      produce(broker, List.of("after-crash"));
    }
  }

  @Test
  void failsClearlyWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThatIllegalStateException()
          .isThrownBy(() -> EmbeddedKafkaBroker.start(dataDirectory, taken.getLocalPort()))
          .withMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .withMessageContaining("in use");
    }
    // Nothing of the failed start holds on to the directory.
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, 0)) {
      assertThat(broker.port()).isPositive();
    }
  }

  @Test
  void refusesADataDirectoryInUseByAnotherBroker() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, 0)) {
      assertThatIllegalStateException()
          .isThrownBy(() -> EmbeddedKafkaBroker.start(dataDirectory, 0))
          .withMessageContaining("is in use by another running server");
      try (Admin admin = admin(broker)) {
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, SECONDS);
      }
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, 0);
        Admin admin = admin(broker)) {
      assertThat(admin.listTopics().names().get(30, SECONDS)).contains(TOPIC);
    }
  }

  @Test
  void leavesNoNonDaemonThreadsBehind() throws Exception {
    Set<Thread> before = liveNonDaemonThreads();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDirectory, 0);
        Admin admin = admin(broker)) {
      admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, SECONDS);
    }
    Set<Thread> leaked = liveNonDaemonThreads();
    leaked.removeAll(before);
    // Threads that are already stopping may need a moment to finish.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (leaked.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(leaked.stream().filter(Thread::isAlive).map(Thread::getName)).isEmpty();
  }

  private static Set<Thread> liveNonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !thread.isDaemon() && thread.isAlive())
        .collect(Collectors.toCollection(HashSet::new));
  }

  private static Admin admin(EmbeddedKafkaBroker broker) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static void produce(EmbeddedKafkaBroker broker, List<String> values) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = 0; i < values.size(); i++) {
        // Explicit partitions so that every partition holds messages.
        acks.add(producer.send(new ProducerRecord<>(TOPIC, i % 3, "key-" + i, values.get(i))));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(30, SECONDS);
      }
    }
  }

  /**
   * Reads at least {@code atLeast} records as group {@link #GROUP}, commits, returns the offsets.
   */
  private static Map<TopicPartition, Long> consumeSomeAndCommit(
      EmbeddedKafkaBroker broker, int atLeast) {
    Properties config = consumerConfig(broker);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 4);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(TOPIC));
      int read = 0;
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (read < atLeast && System.nanoTime() < deadline) {
        read += consumer.poll(POLL).count();
      }
      assertThat(read).isGreaterThanOrEqualTo(atLeast);
      consumer.commitSync();
      return consumer.committed(consumer.assignment()).entrySet().stream()
          .filter(entry -> entry.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }
  }

  private static Map<TopicPartition, Long> committedOffsets(Admin admin) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, SECONDS);
    Map<TopicPartition, Long> result = new HashMap<>();
    offsets.forEach((partition, offset) -> result.put(partition, offset.offset()));
    return result;
  }

  private static List<String> readAllFromBeginning(EmbeddedKafkaBroker broker, int expected) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(broker))) {
      List<TopicPartition> partitions =
          IntStream.range(0, 3).mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      return pollUntil(consumer, expected);
    }
  }

  /** Joins {@link #GROUP} again: it must carry on from the committed offsets. */
  private static List<String> resumeGroup(EmbeddedKafkaBroker broker, int expected) {
    Properties config = consumerConfig(broker);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(TOPIC));
      return pollUntil(consumer, expected);
    }
  }

  /** The values below the committed offsets, read back without a group. */
  private static List<String> consumedBefore(
      List<String> sent, Map<TopicPartition, Long> committed, EmbeddedKafkaBroker broker) {
    List<String> consumed = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(broker))) {
      consumer.assign(committed.keySet());
      consumer.seekToBeginning(committed.keySet());
      long total = committed.values().stream().mapToLong(Long::longValue).sum();
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (consumed.size() < total && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
          if (record.offset()
              < committed.get(new TopicPartition(record.topic(), record.partition()))) {
            consumed.add(record.value());
          }
        }
      }
    }
    assertThat(sent).containsAll(consumed);
    return consumed;
  }

  private static List<String> pollUntil(KafkaConsumer<String, String> consumer, int expected) {
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (values.size() < expected && System.nanoTime() < deadline) {
      consumer.poll(POLL).forEach(record -> values.add(record.value()));
    }
    // One more poll shows that nothing beyond the expected records is delivered.
    consumer.poll(POLL).forEach(record -> values.add(record.value()));
    return values;
  }

  private static Properties consumerConfig(EmbeddedKafkaBroker broker) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    return config;
  }
}
