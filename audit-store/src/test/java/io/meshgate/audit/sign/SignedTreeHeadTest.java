package io.meshgate.audit.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedTreeHeadTest {

  private static final Hash ROOT = new Sha256().hash("root".getBytes(StandardCharsets.UTF_8));
  private static final Instant NOW = Instant.parse("2026-11-27T01:00:00.123Z");

  @Test
  void createsTheKeyOnceAndReloadsTheSameKeyAfterwards(@TempDir Path dir) throws Exception {
    SigningKeys created = SigningKeys.loadOrCreate(dir);
    SignedTreeHead head = new TreeHeadSigner(created).sign("sales", 10, ROOT, NOW);

    SigningKeys reloaded = SigningKeys.loadOrCreate(dir);

    assertThat(reloaded.publicKey()).isEqualTo(created.publicKey());
    assertThat(TreeHeadSigner.verify(head, reloaded.publicKey())).isTrue();
    assertThat(SigningKeys.readPublicKey(dir.resolve(SigningKeys.PUBLIC_KEY_FILE)))
        .isEqualTo(created.publicKey());
    assertThat(Files.getPosixFilePermissions(dir.resolve(SigningKeys.PRIVATE_KEY_FILE)))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aHeadVerifiesOnlyWithItsOwnKeyAndOnlyUnchanged(@TempDir Path dir) {
    SigningKeys keys = SigningKeys.loadOrCreate(dir.resolve("a"));
    SigningKeys otherKeys = SigningKeys.loadOrCreate(dir.resolve("b"));
    SignedTreeHead head = new TreeHeadSigner(keys).sign("sales", 10, ROOT, NOW);
    byte[] signature = head.signature();

    assertThat(TreeHeadSigner.verify(head, keys.publicKey())).isTrue();
    assertThat(TreeHeadSigner.verify(head, otherKeys.publicKey())).isFalse();
    assertThat(
            TreeHeadSigner.verify(
                new SignedTreeHead("finance", 10, ROOT, NOW, signature), keys.publicKey()))
        .isFalse();
    assertThat(
            TreeHeadSigner.verify(
                new SignedTreeHead("sales", 11, ROOT, NOW, signature), keys.publicKey()))
        .isFalse();
    assertThat(
            TreeHeadSigner.verify(
                new SignedTreeHead("sales", 10, Hash.ZERO, NOW, signature), keys.publicKey()))
        .isFalse();
    assertThat(
            TreeHeadSigner.verify(
                new SignedTreeHead("sales", 10, ROOT, NOW.plusMillis(1), signature),
                keys.publicKey()))
        .isFalse();
    assertThat(
            TreeHeadSigner.verify(
                new SignedTreeHead("sales", 10, ROOT, NOW, new byte[3]), keys.publicKey()))
        .isFalse();
  }

  @Test
  void signsAVersionedCanonicalPayload() {
    assertThat(new String(SignedTreeHead.payload("sales", 10, ROOT, NOW), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"format\":\"meshgate.audit.tree-head\",\"formatVersion\":1,\"product\":\"sales\",\"rootHash\":\""
                + ROOT.hex()
                + "\",\"timestamp\":\"2026-11-27T01:00:00.123Z\",\"treeSize\":10}");
  }

  @Test
  void refusesToReplaceAKeyWhoseOtherHalfIsMissing(@TempDir Path dir) throws Exception {
    SigningKeys.loadOrCreate(dir);
    Files.delete(dir.resolve(SigningKeys.PUBLIC_KEY_FILE));

    assertThatThrownBy(() -> SigningKeys.loadOrCreate(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds only one of");
    assertThat(dir.resolve(SigningKeys.PUBLIC_KEY_FILE)).doesNotExist();
  }
}
