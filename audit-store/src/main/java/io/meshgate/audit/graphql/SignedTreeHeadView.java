package io.meshgate.audit.graphql;

import io.meshgate.audit.sign.SignedTreeHead;

/** GraphQL {@code SignedTreeHead}. */
public record SignedTreeHeadView(
    String product,
    long treeSize,
    String rootHash,
    String timestamp,
    String signature,
    String keyId) {

  public static SignedTreeHeadView of(SignedTreeHead head, String keyId) {
    return new SignedTreeHeadView(
        head.product(),
        head.treeSize(),
        head.rootHash().hex(),
        head.timestamp().toString(),
        head.signatureBase64(),
        keyId);
  }
}
