package io.meshgate.product.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.sales.SalesProduct;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.events.ChangeOp;
import io.meshgate.runtime.topics.EventSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Maps recorded Debezium Postgres connector values (JSON converter, schemas disabled) of {@code
 * sales.customers}, found under {@code src/test/resources/debezium/}.
 */
class DebeziumEventMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CUSTOMER_SCHEMA = "meshgate/sales/events/customer.v1.schema.json";
  private static final Instant CAPTURED_AT = Instant.parse("2024-05-03T09:00:00.000001Z");

  private final DebeziumEventMapper mapper = new DebeziumEventMapper(SalesProduct.DEFINITION);
  private final ChangeEventCodec codec = new ChangeEventCodec(new EventSchemas());

  static Stream<Arguments> recordedChanges() {
    return Stream.of(
        Arguments.of(
            "sales-customers-create.json",
            ChangeOp.CREATE,
            "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41",
            23803720L,
            771L,
            "2024-05-01T10:15:30.123456Z",
            false),
        Arguments.of(
            "sales-customers-update.json",
            ChangeOp.UPDATE,
            "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41",
            23805040L,
            802L,
            "2024-05-02T08:00:01.000042Z",
            false),
        Arguments.of(
            "sales-customers-delete.json",
            ChangeOp.DELETE,
            "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41",
            23806248L,
            815L,
            "2024-05-03T08:00:00.999999Z",
            false),
        Arguments.of(
            "sales-customers-snapshot-read.json",
            ChangeOp.READ,
            "9b2d4a10-0c1e-4f3a-8d5b-6e7f8091a2b3",
            23800000L,
            760L,
            "2024-05-01T07:53:20Z",
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordedChanges")
  void mapsRecordedChangeToMeshEvent(
      String recording,
      ChangeOp op,
      String id,
      long lsn,
      long txId,
      String commitTime,
      boolean snapshot) {
    JsonNode debezium = recording(recording);

    ChangeEvent event = mapper.map(debezium.toString(), CAPTURED_AT).orElseThrow();

    assertThat(event.product()).isEqualTo("sales");
    assertThat(event.entity()).isEqualTo("customer");
    assertThat(event.schemaVersion()).isEqualTo(1);
    assertThat(event.key()).isEqualTo(JSON.createObjectNode().put("id", id));
    assertThat(event.recordKey()).isEqualTo(id);
    assertThat(event.op()).isEqualTo(op);
    assertThat(event.source().lsn()).isEqualTo(lsn);
    assertThat(event.source().txId()).isEqualTo(txId);
    assertThat(event.source().commitTime()).isEqualTo(Instant.parse(commitTime));
    assertThat(event.source().snapshot()).isEqualTo(snapshot);
    assertThat(event.capturedAt()).isEqualTo(CAPTURED_AT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      textBlock =
          """
          # recording,                         before kept, after kept
          sales-customers-create.json,         false,       true
          sales-customers-update.json,         true,        true
          sales-customers-delete.json,         true,        false
          sales-customers-snapshot-read.json,  false,       true
          """)
  void carriesRowImagesTheOperationHas(String recording, boolean hasBefore, boolean hasAfter) {
    JsonNode debezium = recording(recording);

    ChangeEvent event = mapper.map(debezium.toString(), CAPTURED_AT).orElseThrow();

    assertThat(event.before()).isEqualTo(hasBefore ? debezium.get("before") : null);
    assertThat(event.after()).isEqualTo(hasAfter ? debezium.get("after") : null);
    assertThat(event.isDelete()).isEqualTo(!hasAfter);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "sales-customers-create.json", "sales-customers-update.json",
        "sales-customers-delete.json", "sales-customers-snapshot-read.json"
      })
  void mappedEventSatisfiesCustomerContract(String recording) {
    ChangeEvent event = mapper.map(recording(recording).toString(), CAPTURED_AT).orElseThrow();

    assertThat(codec.violations(CUSTOMER_SCHEMA, codec.toJson(event))).isEmpty();
  }

  @Test
  void takesCommitTimeFromSourceNotFromCaptureEnvelope() {
    ObjectNode debezium = recording("sales-customers-create.json");
    debezium.put("ts_ms", 1_900_000_000_000L).put("ts_us", 1_900_000_000_000_000L);

    ChangeEvent event = mapper.map(debezium.toString(), CAPTURED_AT).orElseThrow();

    assertThat(event.source().commitTime()).isEqualTo(Instant.parse("2024-05-01T10:15:30.123456Z"));
  }

  @Test
  void fallsBackToMillisecondCommitTimeWithoutMicroseconds() {
    ObjectNode debezium = recording("sales-customers-create.json");
    source(debezium).remove("ts_us");

    ChangeEvent event = mapper.map(debezium.toString(), CAPTURED_AT).orElseThrow();

    assertThat(event.source().commitTime()).isEqualTo(Instant.parse("2024-05-01T10:15:30.123Z"));
  }

  @ParameterizedTest(name = "snapshot \"{0}\" -> {1}")
  @CsvSource({
    "false,                     false",
    "true,                      true",
    "first,                     true",
    "first_in_data_collection,  true",
    "last_in_data_collection,   true",
    "last,                      true",
    "incremental,               true"
  })
  void readsSnapshotMarker(String marker, boolean snapshot) {
    ObjectNode debezium = recording("sales-customers-snapshot-read.json");
    source(debezium).put("snapshot", marker);

    ChangeEvent event = mapper.map(debezium.toString(), CAPTURED_AT).orElseThrow();

    assertThat(event.source().snapshot()).isEqualTo(snapshot);
  }

  @Test
  void keepsUnknownTransactionIdAsNull() {
    ObjectNode debezium = recording("sales-customers-update.json");
    source(debezium).putNull("txId");

    ChangeEvent event = mapper.map(debezium.toString(), CAPTURED_AT).orElseThrow();

    assertThat(event.source().txId()).isNull();
    assertThat(codec.violations(CUSTOMER_SCHEMA, codec.toJson(event))).isEmpty();
  }

  static Stream<Arguments> recordsWithoutRowChange() {
    return Stream.of(
        Arguments.of(
            "undeclared table in the product's schema",
            (Consumer<ObjectNode>) d -> source(d).put("table", "orders")),
        Arguments.of(
            "same table name in another schema",
            (Consumer<ObjectNode>) d -> source(d).put("schema", "public")),
        Arguments.of(
            "heartbeat (no source, no op)",
            (Consumer<ObjectNode>) d -> d.removeAll().put("ts_ms", 1714558530250L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("recordsWithoutRowChange")
  void ignoresRecordsThatCarryNoChangeOfADeclaredTable(
      String description, Consumer<ObjectNode> variation) {
    ObjectNode debezium = recording("sales-customers-create.json");
    variation.accept(debezium);

    assertThat(mapper.map(debezium.toString(), CAPTURED_AT)).as(description).isEmpty();
  }

  @Test
  void ignoresTombstone() {
    assertThat(mapper.map(null, CAPTURED_AT)).isEmpty();
  }

  @Test
  void rejectsValueThatIsNotJson() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> mapper.map("{\"before\": nul", CAPTURED_AT))
        .withMessageContaining("not JSON");
  }

  @Test
  void rejectsRowWithoutKeyColumn() {
    ObjectNode debezium = recording("sales-customers-create.json");
    ((ObjectNode) debezium.get("after")).remove("id");

    assertThatIllegalArgumentException()
        .isThrownBy(() -> mapper.map(debezium.toString(), CAPTURED_AT))
        .withMessageContaining("sales.customers")
        .withMessageContaining("id");
  }

  private static ObjectNode source(ObjectNode debezium) {
    return (ObjectNode) debezium.get("source");
  }

  private static ObjectNode recording(String name) {
    try (InputStream in = DebeziumEventMapperTest.class.getResourceAsStream("/debezium/" + name)) {
      assertThat(in).as("recording %s", name).isNotNull();
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
