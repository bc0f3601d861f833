package io.meshgate.audit.service;

import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the audit service: the door for a launcher. Properties (on top of {@link
 * AuditSubgraph#defaultProperties()}):
 *
 * <ul>
 *   <li>{@code spring.datasource.url}, {@code .username}, {@code .password}: the audit database
 *       (its own, e.g. {@code jdbc:postgresql://127.0.0.1:5432/audit}); tables are created on
 *       start;
 *   <li>{@code meshgate.kafka-bootstrap-servers}: Kafka;
 *   <li>{@code meshgate.state-dir}: local state; the Ed25519 signing key pair lives in its {@code
 *       keys/} directory ({@code audit-ed25519-public.pem} is the public key to hand out);
 *   <li>{@code server.port}: the subgraph's HTTP port ({@code server.address} is {@code
 *       127.0.0.1});
 *   <li>optional {@code meshgate.audit.head-every-entries} (default 10000), {@code
 *       meshgate.audit.head-interval} (default {@code PT1M}), {@code
 *       meshgate.audit.topic-discovery-interval} (default {@code PT30S}), {@code
 *       meshgate.audit.sync-verify-max-rows} (default 10000), {@code
 *       meshgate.audit.verification-threads} (default 1), {@code
 *       meshgate.audit.verify-page-entries} (default 50000), {@code
 *       meshgate.topic-replication-factor} (default 1, for {@code mesh.audit.heads});
 *   <li>optional {@code meshgate.subgraph.*}: the request limits every subgraph has ({@link
 *       io.meshgate.runtime.subgraph.SubgraphLimits}).
 * </ul>
 */
public final class AuditService {

  private AuditService() {}

  /**
   * Starts the service and returns once it consumes and serves; close the context to stop it.
   *
   * @param springProperties the properties above, and any other Spring property
   */
  public static ConfigurableApplicationContext start(Map<String, Object> springProperties) {
    return new SpringApplicationBuilder(AuditSubgraph.class)
        .properties(AuditSubgraph.defaultProperties())
        .properties(springProperties)
        .logStartupInfo(false)
        .run();
  }
}
