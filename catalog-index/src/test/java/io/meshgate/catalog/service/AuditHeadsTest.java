package io.meshgate.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.catalog.service.AuditHead.InvalidAuditHeadException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AuditHeadsTest {

  private final AuditHeads heads = new AuditHeads();

  @Test
  void keepsEachProductsLatestHeadAndToleratesExtraFields() throws InvalidAuditHeadException {
    heads.accept("sales", head("sales", 10, "\"2026-11-27T01:00:00Z\"", ", \"keyId\": \"k1\""));
    heads.accept("sales", head("sales", 12, "\"2026-11-27T01:01:00Z\"", ""));
    heads.accept("finance", head("finance", 3, "1764205200000", ""));

    assertThat(heads.of("sales")).contains(
        new AuditHead("sales", 12, "root-12", Instant.parse("2026-11-27T01:01:00Z"), "sig-12", null));
    assertThat(heads.of("finance").orElseThrow().signedAt()).isEqualTo(Instant.ofEpochMilli(1764205200000L));
    heads.accept("sales", head("sales", 13, "\"2026-11-27T01:02:00.123Z\"", ", \"keyId\": \"k1\""));
    assertThat(heads.of("sales").orElseThrow().keyId()).isEqualTo("k1");
    assertThat(heads.of("distribution")).isEmpty();
  }

  @Test
  void staleRedeliveryDoesNotReplaceANewerHead() throws InvalidAuditHeadException {
    heads.accept("sales", head("sales", 12, "\"2026-11-27T01:01:00Z\"", ""));
    heads.accept("sales", head("sales", 10, "\"2026-11-27T01:00:00Z\"", ""));

    assertThat(heads.of("sales").orElseThrow().treeSize()).isEqualTo(12);
  }

  @Test
  void tombstoneForgetsTheProduct() throws InvalidAuditHeadException {
    heads.accept("sales", head("sales", 12, "\"2026-11-27T01:01:00Z\"", ""));
    heads.accept("sales", null);

    assertThat(heads.of("sales")).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"format\":\"meshgate.audit-head\",\"formatVersion\":2,\"product\":\"sales\",\"treeSize\":1,\"rootHash\":\"r\",\"timestamp\":\"2026-11-27T01:00:00Z\",\"signature\":\"s\"} | $.formatVersion",
      "{\"format\":\"meshgate.metric\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":1,\"rootHash\":\"r\",\"timestamp\":\"2026-11-27T01:00:00Z\",\"signature\":\"s\"} | $.format",
      "{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":-1,\"rootHash\":\"r\",\"timestamp\":\"2026-11-27T01:00:00Z\",\"signature\":\"s\"} | $.treeSize",
      "{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":1,\"timestamp\":\"yesterday\",\"signature\":\"s\"} | $.rootHash",
      "{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"sales\",\"treeSize\":1,\"rootHash\":\"r\",\"timestamp\":\"yesterday\",\"signature\":\"s\"} | $.timestamp",
      "not json | $: not JSON"})
  void valueThatIsNotAnAuditHeadNamesTheProblem(String json, String problem) {
    assertThatThrownBy(() -> heads.accept("sales", json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(InvalidAuditHeadException.class,
            e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(problem)));
    assertThat(heads.of("sales")).isEmpty();
  }

  static byte[] head(String product, long treeSize, String timestamp, String extra) {
    return ("{\"format\":\"meshgate.audit-head\",\"formatVersion\":1,\"product\":\"" + product + "\",\"treeSize\":"
        + treeSize + ",\"rootHash\":\"root-" + treeSize + "\",\"timestamp\":" + timestamp + ",\"signature\":\"sig-"
        + treeSize + "\"" + extra + "}").getBytes(StandardCharsets.UTF_8);
  }
}
