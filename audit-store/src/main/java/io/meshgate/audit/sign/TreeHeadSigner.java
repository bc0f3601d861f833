package io.meshgate.audit.sign;

import io.meshgate.audit.hash.Hash;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.util.Objects;

/** Signs tree heads with the audit log's private key, and checks them with a public key. */
public final class TreeHeadSigner {

  private static final String ALGORITHM = "Ed25519";

  private final SigningKeys keys;

  public TreeHeadSigner(SigningKeys keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /**
   * Signs the head of {@code product}'s tree of {@code treeSize} entries with root {@code
   * rootHash}.
   */
  public SignedTreeHead sign(String product, long treeSize, Hash rootHash, Instant timestamp) {
    byte[] payload = SignedTreeHead.payload(product, treeSize, rootHash, timestamp);
    try {
      Signature signer = Signature.getInstance(ALGORITHM);
      signer.initSign(keys.privateKey());
      signer.update(payload);
      return new SignedTreeHead(product, treeSize, rootHash, timestamp, signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with the audit key", e);
    }
  }

  /** The public key heads signed here verify with. */
  public PublicKey publicKey() {
    return keys.publicKey();
  }

  /**
   * Checks a head's signature.
   *
   * @return true iff {@code head}'s signature over its payload verifies with {@code publicKey}
   */
  public static boolean verify(SignedTreeHead head, PublicKey publicKey) {
    try {
      Signature verifier = Signature.getInstance(ALGORITHM);
      verifier.initVerify(publicKey);
      verifier.update(head.payload());
      return verifier.verify(head.signature());
    } catch (SignatureException e) {
      return false; // a malformed signature is an invalid one
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "not an Ed25519 public key: " + publicKey.getAlgorithm(), e);
    }
  }
}
