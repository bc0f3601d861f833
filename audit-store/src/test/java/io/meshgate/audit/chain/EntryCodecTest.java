package io.meshgate.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static AuditEntry sampleEntry() {
    ObjectNode key = NODES.objectNode().put("id", 7);
    ObjectNode after = NODES.objectNode().put("name", "Zoë").put("limit", 4.50).put("active", true);
    return new AuditEntry(
        42,
        new ChangeEvent(
            "sales",
            "customer",
            key,
            ChangeOp.CREATE,
            null,
            after,
            new SourcePosition(
                23_861_624L, 771L, Instant.parse("2026-11-27T01:02:03.456789123Z"))));
  }

  @Test
  void writesTheDocumentedCanonicalForm() {
    String json = new String(EntryCodec.encode(sampleEntry()), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"after\":{\"active\":true,\"limit\":4.5,\"name\":\"Zoë\"},\"before\":null,"
                + "\"commitTime\":\"2026-11-27T01:02:03.456789Z\",\"entity\":\"customer\","
                + "\"format\":\"meshgate.audit-entry\",\"formatVersion\":1,\"key\":{\"id\":7},"
                + "\"lsn\":\"23861624\",\"op\":\"c\",\"product\":\"sales\",\"seq\":42,\"txId\":\"771\"}");
  }

  @Test
  void agreesWithTheGenericEncoderAndTheReferenceImplementation() throws Exception {
    Random random = new Random(3);
    for (int i = 0; i < 200; i++) {
      AuditEntry entry = new AuditEntry(i, SampleEvents.customerChange("sales", i, random));
      byte[] encoded = EntryCodec.encode(entry);
      String text = new String(encoded, StandardCharsets.UTF_8);

      assertThat(CanonicalJson.encode(new ObjectMapper().readTree(encoded))).isEqualTo(encoded);
      assertThat(new JsonCanonicalizer(text).getEncodedString()).isEqualTo(text);
    }
  }

  @Test
  void readsBackWhatItWrote() {
    AuditEntry entry = sampleEntry();

    assertThat(EntryCodec.decode(EntryCodec.encode(entry))).isEqualTo(entry);
  }

  @Test
  void refusesAnEntryThatIsNotInCanonicalForm() {
    String pretty =
        new String(EntryCodec.encode(sampleEntry()), StandardCharsets.UTF_8)
            .replace(",\"before\"", ", \"before\"");

    assertThatThrownBy(() -> EntryCodec.decode(pretty.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in canonical form");
  }

  @Test
  void refusesAnotherFormat() {
    byte[] other =
        "{\"format\":\"meshgate.change-event\",\"formatVersion\":1}"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> EntryCodec.decode(other))
        .hasMessageContaining("is not meshgate.audit-entry version 1");
  }

  @Test
  void refusesProductNamesTheLogTableCannotHold() {
    ObjectNode key = NODES.objectNode().put("id", 1);
    SourcePosition source = new SourcePosition(1, null, Instant.EPOCH);

    assertThatThrownBy(
            () ->
                new ChangeEvent(
                    "p".repeat(64), "customer", key, ChangeOp.CREATE, null, key, source))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 63 characters");
    assertThatThrownBy(
            () -> new ChangeEvent("Sales", "customer", key, ChangeOp.CREATE, null, key, source))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsAChangeEventFromTheMeshEnvelope() throws Exception {
    String envelope =
        """
        {"format":"meshgate.change-event","formatVersion":1,"schemaVersion":1,"product":"sales",
         "entity":"customer","key":{"id":"c-1"},"op":"u","before":{"id":"c-1","name":"A"},
         "after":{"id":"c-1","name":"B"},
         "source":{"lsn":4096,"txId":12,"commitTime":"2026-11-27T00:00:00.5Z","snapshot":false}}
        """;

    ChangeEvent event = ChangeEvent.fromEnvelope(new ObjectMapper().readTree(envelope));

    assertThat(event.op()).isEqualTo(ChangeOp.UPDATE);
    assertThat(event.source())
        .isEqualTo(new SourcePosition(4096, 12L, Instant.parse("2026-11-27T00:00:00.5Z")));
    assertThat(event.after()).isEqualTo(NODES.objectNode().put("id", "c-1").put("name", "B"));
  }
}
