package io.meshgate.catalog.service;

import io.meshgate.catalog.service.AuditHead.InvalidAuditHeadException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Each product's latest audit head, kept in memory and rebuilt from the compacted {@code
 * mesh.audit.heads} topic on every start.
 */
public final class AuditHeads {

  /** The topic the audit store publishes heads to (compacted, key = product). */
  public static final String TOPIC = "mesh.audit.heads";

  private final Map<String, AuditHead> latest = new ConcurrentHashMap<>();

  /**
   * Takes one record of the topic: a head replaces the product's previous one unless it covers
   * fewer entries (a stale redelivery); a tombstone forgets the product named by the key.
   *
   * @throws InvalidAuditHeadException when the value is not an audit head
   */
  public void accept(@Nullable String key, byte @Nullable [] value) throws InvalidAuditHeadException {
    if (value == null) {
      if (key != null) {
        latest.remove(key);
      }
      return;
    }
    AuditHead head = AuditHead.parse(value);
    latest.merge(head.product(), head, (old, fresh) -> fresh.treeSize() >= old.treeSize() ? fresh : old);
  }

  /** The latest head of {@code product}, if one was published. */
  public Optional<AuditHead> of(String product) {
    return Optional.ofNullable(latest.get(product));
  }
}
