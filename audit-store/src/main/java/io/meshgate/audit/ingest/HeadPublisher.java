package io.meshgate.audit.ingest;

import io.meshgate.audit.sign.SignedTreeHead;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes signed tree heads on the compacted topic {@value AuditHeadJson#TOPIC}, keyed by
 * product, so the topic keeps every product's latest head. Used as the audit log's head listener:
 * sending does not wait for the broker, and a head that cannot be sent is logged (every head is
 * kept in the database, and the service republishes the latest ones when it starts). Only heads
 * larger than the last one published for their product are sent: a head arriving out of order (from
 * another process, or republished on start) must not replace the latest one on the compacted topic.
 */
public final class HeadPublisher implements Consumer<SignedTreeHead>, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HeadPublisher.class);

  /** Topic configuration: keep the latest head per product. */
  public static final Map<String, String> TOPIC_CONFIGS = Map.of("cleanup.policy", "compact");

  private final KafkaProducer<String, byte[]> producer;
  private final String keyId;
  private final Map<String, Long> publishedSizes = new ConcurrentHashMap<>();

  /**
   * @param keyId id of the key the heads are signed with (see {@link
   *     io.meshgate.audit.sign.SigningKeys#keyId})
   */
  public HeadPublisher(String bootstrapServers, String keyId) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "audit-store-heads");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    this.keyId = keyId;
  }

  @Override
  public void accept(SignedTreeHead head) {
    if (!advances(head)) {
      return;
    }
    producer.send(
        new ProducerRecord<>(
            AuditHeadJson.TOPIC, head.product(), AuditHeadJson.toBytes(head, keyId)),
        (metadata, error) -> {
          if (error != null) {
            log.warn(
                "Could not publish {} on {}; it stays in the database and is republished on"
                    + " restart",
                head,
                AuditHeadJson.TOPIC,
                error);
          }
        });
  }

  private boolean advances(SignedTreeHead head) {
    boolean[] advanced = {false};
    publishedSizes.compute(
        head.product(),
        (product, published) -> {
          advanced[0] = published == null || head.treeSize() > published;
          return advanced[0] ? head.treeSize() : published;
        });
    return advanced[0];
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
