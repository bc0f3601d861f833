package io.meshgate.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded mesh's own key: created once, private to its owner, and its tokens accepted. */
class LocalSigningKeyTest {

  @TempDir Path dir;

  @Test
  void theKeyIsCreatedOnceAndItsTokensAreAcceptedByTheGatewaysRules() throws Exception {
    LocalSigningKey created = LocalSigningKey.loadOrCreate(dir.resolve("auth"));
    Path privateKey = dir.resolve("auth/signing-key.jwk");
    assertThat(Files.getPosixFilePermissions(privateKey))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    String before = Files.readString(privateKey);
    String token = created.issue("alice", Set.of("pii:read", "sales:read"), Duration.ofHours(1));
    LocalSigningKey again = LocalSigningKey.load(dir.resolve("auth"));
    assertThat(Files.readString(privateKey)).isEqualTo(before);
    assertThat(Files.readString(again.jwksFile())).doesNotContain("\"d\"");
    try (TokenAuthenticator authenticator = again.authentication(false).open()) {
      Principal alice = authenticator.authenticate("Bearer " + token);
      assertThat(alice.subject()).isEqualTo("alice");
      assertThat(alice.scopes()).containsExactlyInAnyOrder("pii:read", "sales:read");
    }
  }

  @Test
  void theTokenCommandExplainsWhatItNeeds() {
    assertThatThrownBy(() -> LocalSigningKey.load(dir.resolve("nothing-here")))
        .hasMessageContaining("start the mesh once with './meshgate run'");
    assertThat(TokenMain.scopes("sales:read, pii:read  finance:read"))
        .containsExactly("sales:read", "pii:read", "finance:read");
    assertThat(TokenMain.ttl("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(TokenMain.ttl("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(TokenMain.ttl("PT90S")).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> TokenMain.ttl("0h")).hasMessageContaining("--ttl must be a positive");
    assertThatThrownBy(() -> TokenMain.ttl("forever")).hasMessageContaining("(got 'forever')");
  }
}
