package io.meshgate.catalog.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/**
 * Signs audit heads as the audit store does, with a key of its own: the payload is written out here
 * as the audit store documents it, not taken from the code under test.
 */
final class AuditSigner {

  private final KeyPair keys;

  AuditSigner() {
    try {
      keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  PublicKey publicKey() {
    return keys.getPublic();
  }

  String keyId() {
    return TrustedAuditKeys.keyId(keys.getPublic());
  }

  /** Writes the public key as the audit store does ({@code audit-ed25519-public.pem}). */
  Path writePublicKey(Path file) throws IOException {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(keys.getPublic().getEncoded());
    return Files.writeString(
        file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
  }

  /** The canonical payload the audit store signs, written out by hand. */
  static String payload(String product, long treeSize, String rootHash, String timestamp) {
    return "{\"format\":\"meshgate.audit.tree-head\",\"formatVersion\":1,\"product\":\""
        + product
        + "\",\"rootHash\":\""
        + rootHash
        + "\",\"timestamp\":\""
        + timestamp
        + "\",\"treeSize\":"
        + treeSize
        + "}";
  }

  String sign(String payload) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(keys.getPrivate());
      signer.update(payload.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A genuine head as the audit store publishes it on {@code mesh.audit.heads}. */
  byte[] head(String product, long treeSize, String rootHash, Instant timestamp) {
    String signature = sign(payload(product, treeSize, rootHash, timestamp.toString()));
    return json(product, treeSize, rootHash, timestamp.toString(), signature, keyId());
  }

  /** A head with whatever values and signature it is given. */
  static byte[] json(
      String product,
      long treeSize,
      String rootHash,
      String timestamp,
      String signature,
      String keyId) {
    return ("{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\""
            + product
            + "\",\"treeSize\":"
            + treeSize
            + ",\"rootHash\":\""
            + rootHash
            + "\",\"timestamp\":\""
            + timestamp
            + "\",\"signature\":\""
            + signature
            + "\",\"keyId\":\""
            + keyId
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A root hash: 64 hex digits made from {@code n}. */
  static String root(long n) {
    return String.format("%064x", n);
  }
}
