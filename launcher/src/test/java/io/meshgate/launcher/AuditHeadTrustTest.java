package io.meshgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.audit.hash.Sha256;
import io.meshgate.audit.ingest.AuditHeadJson;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.audit.sign.TreeHeadSigner;
import io.meshgate.catalog.service.AuditHead.InvalidAuditHeadException;
import io.meshgate.catalog.service.AuditHeads;
import io.meshgate.catalog.service.TrustedAuditKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two ends of {@code mesh.audit.heads} as the launcher wires them: a head the audit store signs
 * and publishes is shown by the catalog trusting the key file the audit store wrote, and the same
 * head with its root altered is not.
 */
class AuditHeadTrustTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"2026-11-27T01:00:00Z", "2026-11-27T01:00:00.120Z", "2026-11-27T01:00:00.123456Z"})
  void theCatalogShowsWhatTheAuditStoreSignedAndNothingAltered(
      String signedAt, @TempDir Path keyDirectory) throws InvalidAuditHeadException {
    SigningKeys keys = SigningKeys.loadOrCreate(keyDirectory);
    SignedTreeHead head =
        new TreeHeadSigner(keys)
            .sign("distribution", 1234, new Sha256().hash(new byte[] {7}), Instant.parse(signedAt));
    String published =
        new String(
            AuditHeadJson.toBytes(head, SigningKeys.keyId(keys.publicKey())),
            StandardCharsets.UTF_8);
    AuditHeads catalog =
        new AuditHeads(
            TrustedAuditKeys.load(List.of(keyDirectory.resolve(SigningKeys.PUBLIC_KEY_FILE))));

    catalog.accept("distribution", published.getBytes(StandardCharsets.UTF_8));

    assertThat(catalog.of("distribution"))
        .hasValueSatisfying(
            shown -> {
              assertThat(shown.rootHash()).isEqualTo(head.rootHash().hex());
              assertThat(shown.treeSize()).isEqualTo(1234);
              assertThat(shown.keyId()).isEqualTo(SigningKeys.keyId(keys.publicKey()));
            });
    String altered =
        published
            .replace(head.rootHash().hex(), new Sha256().hash(new byte[] {8}).hex())
            .replace("1234", "1235");
    assertThatThrownBy(
            () -> catalog.accept("distribution", altered.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidAuditHeadException.class);
    assertThat(catalog.of("distribution").orElseThrow().treeSize()).isEqualTo(1234);
  }
}
