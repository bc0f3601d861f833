package io.meshgate.catalog.service;

import io.meshgate.catalog.service.AuditHead.InvalidAuditHeadException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Each product's latest audit head, kept in memory and rebuilt from the compacted {@code
 * mesh.audit.heads} topic on every start. Only heads whose signature verifies with a trusted audit
 * key are kept: anyone who can write to the topic could otherwise make the catalog show a forged
 * root.
 */
public final class AuditHeads {

  /** The topic the audit store publishes heads to (compacted, key = product). */
  public static final String TOPIC = "mesh.audit.heads";

  private final TrustedAuditKeys trusted;
  private final Map<String, AuditHead> latest = new ConcurrentHashMap<>();

  /**
   * @param trusted the keys a head must be signed with to be kept
   */
  public AuditHeads(TrustedAuditKeys trusted) {
    this.trusted = trusted;
  }

  /**
   * Takes one record of the topic: a head replaces the product's previous one unless it covers
   * fewer entries (a stale redelivery); a tombstone forgets the product named by the key.
   *
   * @throws InvalidAuditHeadException when the value is not an audit head, is keyed by another
   *     product, or its signature does not verify with the trusted key it names (nothing is kept)
   */
  public void accept(@Nullable String key, byte @Nullable [] value)
      throws InvalidAuditHeadException {
    if (value == null) {
      if (key != null) {
        latest.remove(key);
      }
      return;
    }
    AuditHead head = AuditHead.parse(value);
    if (key != null && !key.equals(head.product())) {
      throw new InvalidAuditHeadException(
          List.of("key: '" + key + "', but the head is of product '" + head.product() + "'"));
    }
    Optional<String> refusal = trusted.refusal(head);
    if (refusal.isPresent()) {
      throw new InvalidAuditHeadException(List.of(refusal.get()));
    }
    latest.merge(
        head.product(), head, (old, fresh) -> fresh.treeSize() >= old.treeSize() ? fresh : old);
  }

  /** The latest head of {@code product}, if one was published. */
  public Optional<AuditHead> of(String product) {
    return Optional.ofNullable(latest.get(product));
  }
}
