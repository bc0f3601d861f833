package io.meshgate.audit.service;

import io.meshgate.audit.graphql.AuditGapQueries;
import io.meshgate.audit.graphql.AuditGraphQlConfiguration;
import io.meshgate.audit.graphql.AuditQueries;
import io.meshgate.audit.graphql.AuditQueryLimits;
import io.meshgate.audit.ingest.AuditHeadJson;
import io.meshgate.audit.ingest.ChangeTopicWatcher;
import io.meshgate.audit.ingest.HeadPublisher;
import io.meshgate.audit.job.VerificationJobs;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.audit.store.AuditLog;
import io.meshgate.audit.store.AuditLogOptions;
import io.meshgate.runtime.consume.TopicConsumer;
import io.meshgate.runtime.subgraph.GraphiqlPage;
import io.meshgate.runtime.subgraph.SubgraphLimits;
import io.meshgate.runtime.subgraph.SubgraphLimitsConfiguration;
import io.meshgate.runtime.topics.KafkaTopics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The audit log as a Spring Boot service: consumes every product's change topics into the log
 * (consumer group {@code audit-store}), publishes signed tree heads on {@code mesh.audit.heads},
 * and serves the audit Federation v2 subgraph at {@code /graphql} (GraphiQL at {@code /graphiql}),
 * bounded as every subgraph is ({@link SubgraphLimitsConfiguration}).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(AuditProperties.class)
@Import({
  AuditGraphQlConfiguration.class,
  AuditQueries.class,
  AuditGapQueries.class,
  SubgraphLimitsConfiguration.class
})
public class AuditSubgraph {

  @Bean
  SigningKeys signingKeys(AuditProperties properties) {
    return SigningKeys.loadOrCreate(properties.keyDirectory());
  }

  @Bean(destroyMethod = "close")
  HeadPublisher headPublisher(AuditProperties properties, SigningKeys keys) {
    KafkaTopics.ensure(
        properties.kafkaBootstrapServers(),
        List.of(AuditHeadJson.TOPIC),
        1,
        properties.topicReplicationFactor(),
        HeadPublisher.TOPIC_CONFIGS);
    return new HeadPublisher(
        properties.kafkaBootstrapServers(), SigningKeys.keyId(keys.publicKey()));
  }

  @Bean(destroyMethod = "close")
  AuditLog auditLog(
      DataSource dataSource,
      SigningKeys keys,
      AuditProperties properties,
      HeadPublisher publisher) {
    AuditLog auditLog =
        AuditLog.open(
            dataSource,
            keys,
            AuditLogOptions.builder()
                .headEveryEntries(properties.audit().headEveryEntries())
                .headInterval(properties.audit().headInterval())
                .headListener(publisher)
                .verifyPageEntries(properties.audit().verifyPageEntries())
                .build());
    // The topic keeps only the latest head per product: publishing them again on start repairs a
    // head whose publication failed before a restart, and changes nothing otherwise.
    for (String product : auditLog.products()) {
      auditLog.latestHead(product).ifPresent(publisher);
    }
    return auditLog;
  }

  @Bean(destroyMethod = "close")
  VerificationJobs verificationJobs(AuditLog auditLog, AuditProperties properties) {
    return new VerificationJobs(
        VerificationJobs.Verifier.of(auditLog),
        properties.audit().verificationThreads(),
        Clock.systemUTC());
  }

  @Bean
  AuditQueryLimits auditQueryLimits(AuditProperties properties) {
    return new AuditQueryLimits(properties.audit().syncVerifyMaxRows());
  }

  @Bean(destroyMethod = "close")
  ChangeTopicWatcher changeTopicWatcher(AuditLog auditLog, AuditProperties properties) {
    return new ChangeTopicWatcher(
        auditLog,
        properties.kafkaBootstrapServers(),
        properties.audit().topicDiscoveryInterval(),
        Map.of(TopicConsumer.MAX_ATTEMPTS, properties.audit().maxAttempts()));
  }

  @Bean
  GraphiqlPage graphiqlPage() {
    return new GraphiqlPage(
        "Meshgate audit subgraph",
        "/graphql",
        """
        # The audit log: every change of every product, hash-chained and signed.
        query Heads {
          auditHeads { product treeSize rootHash timestamp keyId }
        }
        """);
  }

  /**
   * The properties that make this application the audit subgraph; callers add datasource, Kafka,
   * state dir, port.
   */
  public static Map<String, Object> defaultProperties() {
    Map<String, Object> properties =
        new LinkedHashMap<>(
            Map.of(
                "spring.application.name", "meshgate-audit",
                "spring.graphql.schema.locations", "classpath:meshgate/audit/graphql/",
                // GraphiqlPage serves GraphiQL with bundled assets; Spring's own page loads them
                // from a CDN.
                "spring.graphql.graphiql.enabled", "false",
                "spring.main.banner-mode", "off",
                "spring.jmx.enabled", "false",
                "server.address", "127.0.0.1"));
    properties.putAll(SubgraphLimits.databasePoolProperties());
    return Map.copyOf(properties);
  }

  public static void main(String[] args) {
    new SpringApplicationBuilder(AuditSubgraph.class).properties(defaultProperties()).run(args);
  }
}
