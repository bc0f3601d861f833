package io.meshgate.catalog.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The audit store's Ed25519 public keys the catalog trusts, by key id: a head is shown only when
 * its signature verifies with the trusted key its {@code keyId} names.
 *
 * <p>The keys are configured ({@code meshgate.catalog.audit-public-keys}: the PEM files the audit
 * store writes as {@code keys/audit-ed25519-public.pem}), never learnt from the topic: whoever can
 * publish a head could publish a key along with it. A key id is the SHA-256 of the key's DER
 * encoding (X.509 SubjectPublicKeyInfo) in lowercase hex, as the audit store computes it.
 */
public final class TrustedAuditKeys {

  private static final String ALGORITHM = "Ed25519";
  private static final String FORMAT = "meshgate.audit.tree-head";
  private static final int FORMAT_VERSION = 1;

  private final Map<String, PublicKey> byId;

  private TrustedAuditKeys(Map<String, PublicKey> byId) {
    this.byId = Map.copyOf(byId);
  }

  /** Trusts these keys. */
  public static TrustedAuditKeys of(List<PublicKey> keys) {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    keys.forEach(key -> byId.put(keyId(key), key));
    return new TrustedAuditKeys(byId);
  }

  /**
   * Trusts the keys in these PEM files ({@code PUBLIC KEY}, Ed25519).
   *
   * @throws IllegalStateException naming the file when one cannot be read or holds no such key
   */
  public static TrustedAuditKeys load(List<Path> pemFiles) {
    Map<String, PublicKey> byId = new LinkedHashMap<>();
    for (Path file : pemFiles) {
      PublicKey key = read(file);
      byId.put(keyId(key), key);
    }
    return new TrustedAuditKeys(byId);
  }

  private static PublicKey read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the audit public key "
              + file
              + " (meshgate.catalog.audit-public-keys): "
              + e,
          e);
    }
    String begin = "-----BEGIN PUBLIC KEY-----";
    String end = "-----END PUBLIC KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalStateException(
          file + " is not a PEM public key (meshgate.catalog.audit-public-keys)");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalStateException(
          file
              + " is not an Ed25519 public key (meshgate.catalog.audit-public-keys): "
              + e.getMessage(),
          e);
    }
  }

  /** The id of a key: SHA-256 of its DER encoding, lowercase hex. */
  public static String keyId(PublicKey key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** Whether no key is trusted (then no head is shown). */
  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** The ids of the trusted keys. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /**
   * Checks a head's signature against the trusted key its key id names.
   *
   * @return why the head cannot be trusted (naming the field at fault), or empty when it can
   */
  public Optional<String> refusal(AuditHead head) {
    String keyId = head.keyId();
    if (keyId == null) {
      return Optional.of("$.keyId: missing, so no trusted key can check the signature");
    }
    PublicKey key = byId.get(keyId);
    if (key == null) {
      return Optional.of(
          "$.keyId: "
              + keyId
              + " is not a trusted audit key (trusted: "
              + (byId.isEmpty()
                  ? "none configured in meshgate.catalog.audit-public-keys"
                  : String.join(", ", byId.keySet()))
              + ")");
    }
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(head.signature());
    } catch (IllegalArgumentException e) {
      return Optional.of("$.signature: not base64");
    }
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(key);
      verifier.update(payload(head));
      if (verifier.verify(signature)) {
        return Optional.empty();
      }
    } catch (SignatureException e) {
      // A malformed signature is a wrong one: reported below.
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java 15+ platform verifies Ed25519", e);
    }
    return Optional.of(
        "$.signature: does not verify with trusted key "
            + keyId
            + " over the head's product, treeSize, rootHash and timestamp (forged, or altered after"
            + " signing)");
  }

  /**
   * The bytes the audit store signs: the RFC 8785 canonical JSON of {@code {"format",
   * "formatVersion", "product", "rootHash", "timestamp", "treeSize"}} (members in that order, the
   * timestamp in ISO-8601 UTC to the millisecond).
   */
  static byte[] payload(AuditHead head) {
    String json =
        "{\"format\":"
            + string(FORMAT)
            + ",\"formatVersion\":"
            + FORMAT_VERSION
            + ",\"product\":"
            + string(head.product())
            + ",\"rootHash\":"
            + string(head.rootHash())
            + ",\"timestamp\":"
            + string(head.signedAt().truncatedTo(ChronoUnit.MILLIS).toString())
            + ",\"treeSize\":"
            + head.treeSize()
            + "}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** A JSON string as RFC 8785 writes it: only quote, backslash and control characters escaped. */
  private static String string(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
