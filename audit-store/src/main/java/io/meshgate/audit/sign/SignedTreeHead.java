package io.meshgate.audit.sign;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.json.CanonicalJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A product's Merkle tree head at a size and time, signed with the audit log's Ed25519 key.
 *
 * <p>The signature covers {@link #payload()}: the RFC 8785 canonical JSON of {@code
 * {"format":"meshgate.audit.tree-head","formatVersion":1,"product":...,"rootHash":"<hex>",
 * "timestamp":"<ISO-8601 UTC, millisecond precision>","treeSize":n}}. It names its format and
 * version so that a signature can never be taken for one over another kind of message.
 *
 * @param product the product whose log this is the head of
 * @param treeSize number of entries covered
 * @param rootHash RFC 9162 root of the tree of those entries' chain hashes
 * @param timestamp when the head was signed (kept to the millisecond)
 * @param signature Ed25519 signature over {@link #payload()} (64 bytes)
 */
public record SignedTreeHead(
    String product, long treeSize, Hash rootHash, Instant timestamp, byte[] signature) {

  /** Name of the signed payload's format. */
  public static final String FORMAT = "meshgate.audit.tree-head";

  /** Version of the signed payload's format. */
  public static final int FORMAT_VERSION = 1;

  public SignedTreeHead {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(rootHash, "rootHash");
    if (treeSize < 0) {
      throw new IllegalArgumentException("treeSize must be >= 0: " + treeSize);
    }
    timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MILLIS);
    signature = Objects.requireNonNull(signature, "signature").clone();
  }

  /** The bytes signed for a head with these values. */
  public static byte[] payload(String product, long treeSize, Hash rootHash, Instant timestamp) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", FORMAT);
    node.put("formatVersion", FORMAT_VERSION);
    node.put("product", product);
    node.put("rootHash", rootHash.hex());
    node.put("timestamp", timestamp.truncatedTo(ChronoUnit.MILLIS).toString());
    node.put("treeSize", treeSize);
    return CanonicalJson.encode(node);
  }

  /** The bytes the signature covers. */
  public byte[] payload() {
    return payload(product, treeSize, rootHash, timestamp);
  }

  /** A copy of the signature. */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The signature in base64, as heads are published. */
  public String signatureBase64() {
    return Base64.getEncoder().encodeToString(signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedTreeHead head
        && product.equals(head.product)
        && treeSize == head.treeSize
        && rootHash.equals(head.rootHash)
        && timestamp.equals(head.timestamp)
        && Arrays.equals(signature, head.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(product, treeSize, rootHash, timestamp, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "SignedTreeHead["
        + product
        + ", size "
        + treeSize
        + ", root "
        + rootHash
        + ", "
        + timestamp
        + "]";
  }
}
