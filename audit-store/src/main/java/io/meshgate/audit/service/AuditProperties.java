package io.meshgate.audit.service;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The audit service's mesh settings ({@code meshgate.*}); its database is Spring's {@code
 * spring.datasource.*}.
 *
 * @param kafkaBootstrapServers Kafka bootstrap servers, e.g. {@code broker1:9092,broker2:9092}
 * @param stateDir where the service keeps local state: the signing key pair under {@code keys/}
 * @param topicReplicationFactor replication factor of {@code mesh.audit.heads} if it is created
 *     here
 * @param audit when heads are signed and how often new change topics are looked for
 */
@ConfigurationProperties("meshgate")
public record AuditProperties(
    String kafkaBootstrapServers,
    Path stateDir,
    @DefaultValue("1") short topicReplicationFactor,
    @DefaultValue Audit audit) {

  /** Directory of the signing key pair under the state directory. */
  public Path keyDirectory() {
    return stateDir.resolve("keys");
  }

  /**
   * The audit log's own settings ({@code meshgate.audit.*}).
   *
   * @param headEveryEntries sign a product's head once its log grew by this many entries
   * @param headInterval sign a head for every product whose log grew, this often
   * @param topicDiscoveryInterval how often to look for change topics of new products
   * @param syncVerifyMaxRows rows {@code auditVerify} may read within a request; larger logs are
   *     verified by a background job
   * @param verificationThreads background verification jobs that run at once
   * @param verifyPageEntries entries a verification reads per database transaction
   * @param maxAttempts times in a row the log may refuse a change event (for a reason of its own,
   *     not an outage) before it goes to its product's dead-letter topic
   */
  public record Audit(
      @DefaultValue("10000") int headEveryEntries,
      @DefaultValue("PT1M") Duration headInterval,
      @DefaultValue("PT30S") Duration topicDiscoveryInterval,
      @DefaultValue("10000") long syncVerifyMaxRows,
      @DefaultValue("1") int verificationThreads,
      @DefaultValue("50000") int verifyPageEntries,
      @DefaultValue("5") int maxAttempts) {}
}
