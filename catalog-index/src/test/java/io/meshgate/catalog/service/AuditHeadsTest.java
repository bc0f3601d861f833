package io.meshgate.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.catalog.service.AuditHead.InvalidAuditHeadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AuditHeadsTest {

  private static final Instant T1 = Instant.parse("2026-11-27T01:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-27T01:01:00.123Z");
  private static final AuditSigner AUDIT = new AuditSigner();
  private static final AuditSigner MALLORY = new AuditSigner();

  private final AuditHeads heads = new AuditHeads(TrustedAuditKeys.of(List.of(AUDIT.publicKey())));

  @Test
  void keepsEachProductsLatestSignedHead() throws InvalidAuditHeadException {
    heads.accept("sales", AUDIT.head("sales", 10, AuditSigner.root(10), T1));
    heads.accept("sales", AUDIT.head("sales", 12, AuditSigner.root(12), T2));
    heads.accept("finance", AUDIT.head("finance", 3, AuditSigner.root(3), T1));

    AuditHead sales = heads.of("sales").orElseThrow();
    assertThat(sales.treeSize()).isEqualTo(12);
    assertThat(sales.rootHash()).isEqualTo(AuditSigner.root(12));
    assertThat(sales.signedAt()).isEqualTo(T2);
    assertThat(sales.keyId()).isEqualTo(AUDIT.keyId());
    assertThat(heads.of("finance").orElseThrow().treeSize()).isEqualTo(3);
    assertThat(heads.of("distribution")).isEmpty();
  }

  @Test
  void staleRedeliveryDoesNotReplaceANewerHead() throws InvalidAuditHeadException {
    heads.accept("sales", AUDIT.head("sales", 12, AuditSigner.root(12), T2));
    heads.accept("sales", AUDIT.head("sales", 10, AuditSigner.root(10), T1));

    assertThat(heads.of("sales").orElseThrow().treeSize()).isEqualTo(12);
  }

  @Test
  void tombstoneForgetsTheProduct() throws InvalidAuditHeadException {
    heads.accept("sales", AUDIT.head("sales", 12, AuditSigner.root(12), T2));
    heads.accept("sales", null);

    assertThat(heads.of("sales")).isEmpty();
  }

  static Stream<Arguments> forgeries() {
    String root = AuditSigner.root(50);
    String genuineSignature = AUDIT.sign(AuditSigner.payload("sales", 50, root, T1.toString()));
    Map<String, byte[]> cases =
        Map.of(
            "tampered root",
                AuditSigner.json(
                    "sales",
                    50,
                    AuditSigner.root(51),
                    T1.toString(),
                    genuineSignature,
                    AUDIT.keyId()),
            "tampered size",
                AuditSigner.json("sales", 60, root, T1.toString(), genuineSignature, AUDIT.keyId()),
            "tampered time",
                AuditSigner.json("sales", 50, root, T2.toString(), genuineSignature, AUDIT.keyId()),
            "other product",
                AuditSigner.json(
                    "finance", 50, root, T1.toString(), genuineSignature, AUDIT.keyId()),
            "wrong signature",
                AuditSigner.json(
                    "sales",
                    50,
                    root,
                    T1.toString(),
                    Base64.getEncoder().encodeToString(new byte[64]),
                    AUDIT.keyId()),
            "signed by another key under the trusted key's id",
                AuditSigner.json(
                    "sales",
                    50,
                    root,
                    T1.toString(),
                    MALLORY.sign(AuditSigner.payload("sales", 50, root, T1.toString())),
                    AUDIT.keyId()),
            "signed by an untrusted key", MALLORY.head("sales", 50, root, T1),
            "signature not base64",
                AuditSigner.json("sales", 50, root, T1.toString(), "not base64!", AUDIT.keyId()),
            "no key id",
                ("{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":50,"
                     + "\"rootHash\":\""
                        + root
                        + "\",\"timestamp\":\""
                        + T1
                        + "\",\"signature\":\""
                        + genuineSignature
                        + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
    Map<String, String> field =
        Map.of("no key id", "$.keyId", "signed by an untrusted key", "$.keyId");
    return cases.entrySet().stream()
        .map(
            c ->
                Arguments.of(
                    c.getKey(), c.getValue(), field.getOrDefault(c.getKey(), "$.signature")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void refusesAHeadWhoseSignatureDoesNotVerifyWithTheTrustedKey(
      String forgery, byte[] value, String field) throws InvalidAuditHeadException {
    heads.accept("sales", AUDIT.head("sales", 42, AuditSigner.root(42), T1));
    String key =
        new String(value, StandardCharsets.UTF_8).contains("\"finance\"") ? "finance" : "sales";

    assertThatThrownBy(() -> heads.accept(key, value))
        .isInstanceOfSatisfying(
            InvalidAuditHeadException.class,
            e -> assertThat(e.problems()).singleElement().asString().startsWith(field + ":"));

    assertThat(heads.of("sales").orElseThrow().rootHash()).isEqualTo(AuditSigner.root(42));
    assertThat(heads.of("finance")).isEmpty();
  }

  @Test
  void refusesAGenuineHeadPublishedUnderAnotherProductsKey() {
    assertThatThrownBy(
            () -> heads.accept("finance", AUDIT.head("sales", 42, AuditSigner.root(42), T1)))
        .isInstanceOfSatisfying(
            InvalidAuditHeadException.class,
            e -> assertThat(e.problems()).singleElement().asString().startsWith("key:"));
    assertThat(heads.of("sales")).isEmpty();
  }

  @Test
  void withoutATrustedKeyNoHeadIsKept() {
    AuditHeads untrusting = new AuditHeads(TrustedAuditKeys.of(List.of()));

    assertThatThrownBy(
            () -> untrusting.accept("sales", AUDIT.head("sales", 42, AuditSigner.root(42), T1)))
        .isInstanceOfSatisfying(
            InvalidAuditHeadException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("none configured in meshgate.catalog.audit-public-keys"));
    assertThat(untrusting.of("sales")).isEmpty();
  }

  @Test
  void trustsTheKeyInAPemFileAsTheAuditStoreWritesIt(@TempDir Path dir) throws Exception {
    TrustedAuditKeys trusted =
        TrustedAuditKeys.load(
            List.of(AUDIT.writePublicKey(dir.resolve("audit-ed25519-public.pem"))));
    AuditHeads fromFile = new AuditHeads(trusted);

    fromFile.accept("sales", AUDIT.head("sales", 42, AuditSigner.root(42), T2));

    assertThat(trusted.ids()).containsExactly(AUDIT.keyId());
    assertThat(fromFile.of("sales")).isPresent();
    assertThatThrownBy(() -> TrustedAuditKeys.load(List.of(dir.resolve("missing.pem"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.pem");
  }

  @Test
  void rebuildsTheCanonicalPayloadTheAuditStoreSigns() throws InvalidAuditHeadException {
    AuditHead head = AuditHead.parse(AUDIT.head("sales", 10, AuditSigner.root(7), T2));

    assertThat(new String(TrustedAuditKeys.payload(head), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"format\":\"meshgate.audit.tree-head\",\"formatVersion\":1,\"product\":\"sales\",\"rootHash\":\""
                + AuditSigner.root(7)
                + "\",\"timestamp\":\"2026-11-27T01:01:00.123Z\",\"treeSize\":10}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"format\":\"meshgate.audit-head\",\"formatVersion\":2,\"product\":\"sales\",\"treeSize\":1,\"rootHash\":\"r\",\"timestamp\":\"2026-11-27T01:00:00Z\",\"signature\":\"s\"}"
            + " | $.formatVersion",
        "{\"format\":\"meshgate.metric\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":1,\"rootHash\":\"r\",\"timestamp\":\"2026-11-27T01:00:00Z\",\"signature\":\"s\"}"
            + " | $.format",
        "{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":-1,\"rootHash\":\"r\",\"timestamp\":\"2026-11-27T01:00:00Z\",\"signature\":\"s\"}"
            + " | $.treeSize",
        "{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":1,\"timestamp\":\"yesterday\",\"signature\":\"s\"}"
            + " | $.rootHash",
        "{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":1,\"rootHash\":\"r\",\"timestamp\":\"yesterday\",\"signature\":\"s\"}"
            + " | $.timestamp",
        "not json | $: not JSON"
      })
  void valueThatIsNotAnAuditHeadNamesTheProblem(String json, String problem) {
    assertThatThrownBy(() -> heads.accept("sales", json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            InvalidAuditHeadException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(problem)));
    assertThat(heads.of("sales")).isEmpty();
  }
}
