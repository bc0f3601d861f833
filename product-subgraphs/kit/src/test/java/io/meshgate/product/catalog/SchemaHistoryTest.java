package io.meshgate.product.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T1 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-11-27T00:00:00Z");

  @Test
  void aFirstPublicationIsVersionOneWithAnEmptyChangeList() throws Exception {
    ObjectNode entry =
        SchemaHistory.evolve(
            null,
            entry(
                """
                [{"name":"id","type":"uuid","nullable":false}]\
                """),
            T1);
    assertThat(entry.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(entry.get("schemaHistory").toString())
        .isEqualTo("[{\"version\":1,\"publishedAt\":\"2026-11-01T00:00:00Z\",\"changes\":[]}]");
  }

  @Test
  void anUnchangedFieldListKeepsVersionAndHistory() throws Exception {
    ObjectNode first =
        SchemaHistory.evolve(
            null,
            entry(
                """
                [{"name":"id","type":"uuid","nullable":false}]\
                """),
            T1);
    ObjectNode again =
        SchemaHistory.evolve(
            first,
            entry(
                """
                [{"name":"id","type":"uuid","nullable":false}]\
                """),
            T2);
    assertThat(again.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(again.get("schemaHistory")).isEqualTo(first.get("schemaHistory"));
  }

  @Test
  void aChangedFieldListIsANewVersionSayingWhatChanged() throws Exception {
    ObjectNode first =
        SchemaHistory.evolve(
            null,
            entry(
                """
                [{"name":"id","type":"uuid","nullable":false},
                 {"name":"email","type":"varchar(200)","nullable":false,"description":"Mail."},
                 {"name":"fax","type":"varchar(20)","nullable":true}]\
                """),
            T1);
    ObjectNode second =
        SchemaHistory.evolve(
            first,
            entry(
                """
                [{"name":"id","type":"uuid","nullable":false},
                 {"name":"email","type":"varchar(320)","nullable":true,"description":"Contact e-mail.","classifications":["PII"]},
                 {"name":"segment","type":"varchar(32)","nullable":false}]\
                """),
            T2);
    assertThat(second.get("schemaVersion").asInt()).isEqualTo(2);
    JsonNode changes = second.at("/schemaHistory/1/changes");
    assertThat(second.at("/schemaHistory/1/version").asInt()).isEqualTo(2);
    assertThat(changes.toString())
        .isEqualTo(
            "[{\"change\":\"TYPE_CHANGED\",\"field\":\"email\",\"detail\":\"varchar(200) ->"
                + " varchar(320)\"},{\"change\":\"NULLABILITY_CHANGED\",\"field\":\"email\",\"detail\":\"nullable"
                + " false -> true\"},"
                + "{\"change\":\"DESCRIPTION_CHANGED\",\"field\":\"email\"},{\"change\":\"CLASSIFICATION_CHANGED\",\"field\":\"email\",\"detail\":\"[]"
                + " -> [\\\"PII\\\"]\"},"
                + "{\"change\":\"REMOVED\",\"field\":\"fax\",\"detail\":\"varchar(20)\"},"
                + "{\"change\":\"ADDED\",\"field\":\"segment\",\"detail\":\"varchar(32)\"}]");
  }

  private static ObjectNode entry(String fields) throws Exception {
    ObjectNode entry = JSON.createObjectNode();
    entry.set("fields", JSON.readTree(fields));
    return entry;
  }
}
