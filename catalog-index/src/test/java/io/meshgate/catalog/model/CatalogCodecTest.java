package io.meshgate.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalog codec against the real contract and its examples in {@code schema/}. */
class CatalogCodecTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXAMPLES = "meshgate/catalog/examples/";

  private final CatalogCodec codec = new CatalogCodec();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sales-table-customers.json",
        "sales-topic-customer-changes.json",
        "sales-graphql-customer.json",
        "distribution-table-customer-replica.json"
      })
  void everyExampleValidatesAndSurvivesARoundTrip(String example) throws Exception {
    ObjectNode json = example(example);

    assertThat(codec.violations(json)).isEmpty();
    CatalogEntry entry = codec.decode(JSON.writeValueAsBytes(json));
    assertThat(entry).isNotNull();
    assertThat(codec.decode(codec.encode(entry))).isEqualTo(entry);
    assertThat(codec.violations(codec.toJson(entry))).isEmpty();
  }

  @Test
  void decodedEntryCarriesEveryPartOfTheExample() throws Exception {
    CatalogEntry entry =
        codec.decode(
            "sales/table/sales.customers",
            JSON.writeValueAsBytes(example("sales-table-customers.json")));

    assertThat(entry).isNotNull();
    assertThat(entry.id()).isEqualTo("sales/table/sales.customers");
    assertThat(entry.owner()).isEqualTo("team-sales");
    assertThat(entry.fields())
        .extracting(Field::name)
        .containsExactly("id", "name", "email", "country", "segment", "created_at", "updated_at");
    assertThat(entry.fields().get(2).classifications()).containsExactly("PII");
    assertThat(entry.schemaHistory()).extracting(SchemaVersion::version).containsExactly(1, 2);
    assertThat(entry.schemaHistory().get(1).changes())
        .extracting(SchemaVersion.Change::change)
        .containsExactly(SchemaVersion.ChangeKind.ADDED, SchemaVersion.ChangeKind.TYPE_CHANGED);
    assertThat(entry.metrics()).isNotNull();
    assertThat(entry.metrics().rowCount()).isEqualTo(1000L);
    assertThat(entry.slos()).extracting(Slo::name).containsExactly("availability");
    assertThat(entry.fieldId("email")).isEqualTo("sales/table/sales.customers#email");
  }

  @Test
  void encodedEntryCarriesItsFormatNameAndVersion() throws Exception {
    CatalogEntry entry =
        codec.decode(JSON.writeValueAsBytes(example("sales-graphql-customer.json")));

    ObjectNode json = (ObjectNode) codec.toJson(entry);

    assertThat(json.get("format").asText()).isEqualTo("meshgate.catalog-entry");
    assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
  }

  @Test
  void nullValueIsATombstone() throws Exception {
    assertThat(codec.decode("sales/table/sales.customers", null)).isNull();
  }

  @Test
  void rejectsAValueFiledUnderAnotherDatasetsKey() throws Exception {
    byte[] value = JSON.writeValueAsBytes(example("sales-graphql-customer.json"));

    InvalidCatalogEntryException e =
        catchThrowableOfType(
            InvalidCatalogEntryException.class, () -> codec.decode("sales/graphql/Order", value));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .contains("sales/graphql/Order")
        .contains("sales/graphql/Customer");
  }

  @Test
  void rejectsAFieldIdAsRecordKey() {
    InvalidCatalogEntryException e =
        catchThrowableOfType(
            InvalidCatalogEntryException.class,
            () -> codec.decode("sales/graphql/Customer#email", null));

    assertThat(e.problems()).singleElement().asString().contains("field id");
  }

  @Test
  void rejectsAFieldListedTwice() throws Exception {
    ObjectNode json = example("sales-graphql-customer.json");
    ((ArrayNode) json.get("fields")).add(json.get("fields").get(0).deepCopy());

    InvalidCatalogEntryException e =
        catchThrowableOfType(
            InvalidCatalogEntryException.class, () -> codec.decode(JSON.writeValueAsBytes(json)));

    assertThat(e.problems()).singleElement().asString().contains("'id' twice");
  }

  @Test
  void rejectsTextThatIsNotJson() {
    InvalidCatalogEntryException e =
        catchThrowableOfType(
            InvalidCatalogEntryException.class, () -> codec.decode("{\"format\": "));

    assertThat(e.problems()).singleElement().asString().startsWith("$: not valid JSON");
  }

  static Stream<Arguments> invalidEntries() {
    return Stream.of(
        invalid("missing owner", e -> e.remove("owner"), "owner"),
        invalid("unknown kind", e -> e.put("kind", "SPREADSHEET"), "$.kind"),
        invalid("wrong format version", e -> e.put("formatVersion", 2), "$.formatVersion"),
        invalid("wrong format name", e -> e.put("format", "meshgate.change-event"), "$.format"),
        invalid("product with upper case", e -> e.put("product", "Sales"), "$.product"),
        invalid("dataset name with a slash", e -> e.put("name", "a/b"), "$.name"),
        invalid(
            "lowercase classification",
            e -> e.putArray("classifications").add("pii"),
            "$.classifications[0]"),
        invalid(
            "field without type",
            e -> ((ObjectNode) e.get("fields").get(0)).remove("type"),
            "type"),
        invalid(
            "lineage edge to a dataset, not a field",
            e -> ((ObjectNode) e.get("lineage").get(0)).put("to", "sales/graphql/Customer"),
            "$.lineage[0].to"),
        invalid(
            "lineage edge of unknown kind",
            e -> ((ObjectNode) e.get("lineage").get(0)).put("kind", "MAGIC"),
            "$.lineage[0].kind"),
        invalid("unknown property", e -> e.put("colour", "blue"), "colour"),
        invalid("updatedAt not ISO", e -> e.put("updatedAt", "yesterday"), "$.updatedAt"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEntries")
  void rejectsInvalidEntryNamingTheProblem(
      String name, Consumer<ObjectNode> damage, String mentioned) throws IOException {
    ObjectNode json = example("sales-graphql-customer.json");
    damage.accept(json);

    InvalidCatalogEntryException e =
        catchThrowableOfType(
            InvalidCatalogEntryException.class, () -> codec.decode(JSON.writeValueAsBytes(json)));

    assertThat(e).isNotNull();
    assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(mentioned));
  }

  private static Arguments invalid(String name, Consumer<ObjectNode> damage, String mentioned) {
    return Arguments.of(name, damage, mentioned);
  }

  private static ObjectNode example(String name) throws IOException {
    try (InputStream in =
        CatalogCodecTest.class.getClassLoader().getResourceAsStream(EXAMPLES + name)) {
      assertThat(in).as(name).isNotNull();
      return (ObjectNode) JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
