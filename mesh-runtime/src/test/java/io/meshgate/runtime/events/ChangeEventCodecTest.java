package io.meshgate.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.runtime.topics.EventSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The change-event codec against the real contracts of {@code schema/}: envelope and sales
 * customer.
 */
class ChangeEventCodecTest {

  private static final String CUSTOMER_SCHEMA = "meshgate/sales/events/customer.v1.schema.json";
  private static final String ID = "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChangeEventCodec codec = new ChangeEventCodec(new EventSchemas());

  @ParameterizedTest
  @EnumSource(ChangeOp.class)
  void decodingAnEncodedEventGivesBackTheSameEvent(ChangeOp op) throws InvalidEventException {
    ChangeEvent event = customerEvent(op);

    ChangeEvent decoded = codec.decode(CUSTOMER_SCHEMA, codec.encode(event));

    assertThat(decoded).isEqualTo(event);
  }

  @Test
  void roundTripKeepsAnUnknownTxIdAndAnAbsentCaptureTime() throws InvalidEventException {
    ChangeEvent event =
        new ChangeEvent(
            "sales",
            "customer",
            1,
            key(ID),
            ChangeOp.CREATE,
            null,
            row(ID, "Ada"),
            new SourcePosition(42L, null, Instant.parse("2024-05-01T10:15:30.123456789Z"), false),
            null);

    ChangeEvent decoded = codec.decode(CUSTOMER_SCHEMA, codec.encode(event));

    assertThat(decoded).isEqualTo(event);
    assertThat(decoded.source().txId()).isNull();
    assertThat(decoded.capturedAt()).isNull();
  }

  @ParameterizedTest
  @EnumSource(ChangeOp.class)
  void encodedEventCarriesItsFormatNameAndVersion(ChangeOp op) {
    ObjectNode json = codec.toJson(customerEvent(op));

    assertThat(json.get("format").asText()).isEqualTo("meshgate.change-event");
    assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
    assertThat(json.get("op").asText()).isEqualTo(op.code());
    assertThat(codec.violations(CUSTOMER_SCHEMA, json)).isEmpty();
  }

  static Stream<Arguments> invalidEvents() {
    return Stream.of(
        invalid("missing op", e -> e.remove("op"), "$", "'op'"),
        invalid("unknown op x", e -> e.put("op", "x"), "$.op", ""),
        invalid(
            "delete with a row after it",
            e -> e.put("op", "d").set("before", row(ID, "Ada")),
            "$.after",
            ""),
        invalid("create without a row after it", e -> e.putNull("after"), "$.after", ""),
        invalid(
            "malformed email in after",
            e -> after(e).put("email", "ada.example.org"),
            "$.after.email",
            ""),
        invalid(
            "unknown extra field in after",
            e -> after(e).put("nickname", "A"),
            "$.after",
            "'nickname'"),
        invalid(
            "key id not a UUID", e -> ((ObjectNode) e.get("key")).put("id", "42"), "$.key.id", ""),
        invalid("wrong product", e -> e.put("product", "finance"), "$.product", ""),
        invalid("missing source.lsn", e -> source(e).remove("lsn"), "$.source", "'lsn'"),
        invalid("negative lsn", e -> source(e).put("lsn", -1), "$.source.lsn", ""),
        invalid(
            "commitTime not ISO",
            e -> source(e).put("commitTime", "yesterday"),
            "$.source.commitTime",
            ""),
        invalid(
            "commitTime shaped like ISO but no instant",
            e -> source(e).put("commitTime", "2024-13-45T25:61:61Z"),
            "$.source.commitTime",
            ""),
        invalid("wrong format version", e -> e.put("formatVersion", 2), "$.formatVersion", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEvents")
  void rejectsEventNamingTheOffendingLocation(
      String description, Consumer<ObjectNode> corruption, String location, String mentioning) {
    ObjectNode event = codec.toJson(customerEvent(ChangeOp.CREATE));
    corruption.accept(event);

    InvalidEventException e =
        catchThrowableOfType(
            InvalidEventException.class,
            () -> codec.decode(CUSTOMER_SCHEMA, event.toString().getBytes(StandardCharsets.UTF_8)));

    assertThat(e).as(description).isNotNull();
    assertThat(e.reasons())
        .as(description)
        .anySatisfy(
            reason -> {
              assertThat(namesLocation(reason, location))
                  .as("%s names %s", reason, location)
                  .isTrue();
              assertThat(reason).contains(mentioning);
            });
  }

  static Stream<Arguments> undecodablePayloads() {
    return Stream.of(
        Arguments.of(
            "not JSON", "{\"format\": meshgate".getBytes(StandardCharsets.UTF_8), "not valid JSON"),
        Arguments.of("tombstone", null, "tombstone"),
        Arguments.of("empty", new byte[0], "empty"),
        Arguments.of("JSON null", "null".getBytes(StandardCharsets.UTF_8), ""),
        Arguments.of("JSON array", "[]".getBytes(StandardCharsets.UTF_8), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("undecodablePayloads")
  void rejectsPayloadThatIsNoEventAtAll(
      String description, byte @Nullable [] payload, String mentioning) {
    InvalidEventException e =
        catchThrowableOfType(
            InvalidEventException.class, () -> codec.decode(CUSTOMER_SCHEMA, payload));

    assertThat(e).as(description).isNotNull();
    assertThat(e.reasons())
        .singleElement()
        .satisfies(reason -> assertThat(namesLocation(reason, "$")).as(reason).isTrue())
        .asString()
        .contains(mentioning);
  }

  @Test
  void reportsEveryViolationOfAnEventNotOnlyTheFirst() {
    ObjectNode event = codec.toJson(customerEvent(ChangeOp.CREATE));
    event.put("product", "finance");
    source(event).put("lsn", -5);

    InvalidEventException e =
        catchThrowableOfType(
            InvalidEventException.class,
            () -> codec.decode(CUSTOMER_SCHEMA, event.toString().getBytes(StandardCharsets.UTF_8)));

    assertThat(e.reasons())
        .anySatisfy(r -> assertThat(namesLocation(r, "$.product")).isTrue())
        .anySatisfy(r -> assertThat(namesLocation(r, "$.source.lsn")).isTrue());
    assertThat(e).hasMessageContaining("; ");
  }

  /**
   * Whether {@code reason} starts with {@code jsonPath} (e.g. {@code $.after.email}), in JSONPath
   * or JSON Pointer notation: the codec writes the former, the schema validator the latter; this
   * pins the location, not the notation.
   */
  private static boolean namesLocation(String reason, String jsonPath) {
    String pointer = jsonPath.substring(1).replace('.', '/');
    return reason.startsWith(jsonPath + ":") || reason.startsWith(pointer + ":");
  }

  private static Arguments invalid(
      String description, Consumer<ObjectNode> corruption, String location, String mentioning) {
    return Arguments.of(description, corruption, location, mentioning);
  }

  private static ObjectNode after(ObjectNode event) {
    return (ObjectNode) event.get("after");
  }

  private static ObjectNode source(ObjectNode event) {
    return (ObjectNode) event.get("source");
  }

  static ChangeEvent customerEvent(ChangeOp op) {
    ObjectNode before =
        switch (op) {
          case UPDATE, DELETE -> row(ID, "Ada Lovelace");
          case CREATE, READ -> null;
        };
    ObjectNode after =
        switch (op) {
          case CREATE, READ -> row(ID, "Ada Lovelace");
          case UPDATE -> row(ID, "Ada King");
          case DELETE -> null;
        };
    return new ChangeEvent(
        "sales",
        "customer",
        1,
        key(ID),
        op,
        before,
        after,
        new SourcePosition(
            0x16B3748L, 771L, Instant.parse("2024-05-01T10:15:30.123456Z"), op == ChangeOp.READ),
        Instant.parse("2024-05-01T10:15:30.250113Z"));
  }

  static ObjectNode key(String id) {
    return JSON.createObjectNode().put("id", id);
  }

  static ObjectNode row(String id, String name) {
    return JSON.createObjectNode()
        .put("id", id)
        .put("name", name)
        .put("email", "ada@example.org")
        .put("country", "GB")
        .put("segment", "ENTERPRISE")
        .put("created_at", "2024-05-01T10:15:30.123456Z")
        .put("updated_at", "2024-05-01T10:15:30.123456Z");
  }
}
