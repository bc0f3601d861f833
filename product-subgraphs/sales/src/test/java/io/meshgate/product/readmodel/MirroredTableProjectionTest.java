package io.meshgate.product.readmodel;

import static io.meshgate.schema.jooq.sales.sales_read.Tables.CUSTOMERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.sales.SalesProduct;
import io.meshgate.runtime.events.ChangeEvent;
import io.meshgate.runtime.events.ChangeOp;
import io.meshgate.runtime.events.SourcePosition;
import io.meshgate.schema.jooq.sales.sales.Tables;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.ExecuteListener;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@link MirroredTableProjection} sends to Postgres for the sales read model, recorded by a
 * jOOQ mock connection: the exact statements and, per statement, the value written to each column.
 */
class MirroredTableProjectionTest {

  static {
    System.setProperty("org.jooq.no-logo", "true");
    System.setProperty("org.jooq.no-tips", "true");
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EntityDefinition CUSTOMER =
      SalesProduct.DEFINITION.entity("customer").orElseThrow();
  private static final String ADA = "3f1c0e6a-8a55-4c8f-9a1e-2b7d6f0c9e41";
  private static final String GRACE = "9b2d4a10-0c1e-4f3a-8d5b-6e7f8091a2b3";
  private static final Pattern INSERT_COLUMNS =
      Pattern.compile("^insert into \"sales_read\"\\.\"customers\" \\(([^)]*)\\) values");

  private final MirroredTableProjection projection =
      new MirroredTableProjection(CUSTOMER, CUSTOMERS);
  private final List<String> executedSql = new ArrayList<>();
  private final List<Query> executedQueries = new ArrayList<>();
  private final DSLContext dsl =
      DSL.using(
          new DefaultConfiguration()
              .set(SQLDialect.POSTGRES)
              .set(new Settings().withExecuteLogging(false))
              .set(
                  new MockConnection(
                      ctx -> {
                        executedSql.addAll(Arrays.asList(ctx.batchSQL()));
                        MockResult[] results = new MockResult[ctx.batchSQL().length];
                        Arrays.fill(results, new MockResult(1));
                        return results;
                      }))
              .set(
                  ExecuteListener.onStart(
                      ctx -> executedQueries.addAll(Arrays.asList(ctx.batchQueries())))));

  @Test
  void writesAnUpsertThatOnlyLandsWhenNewerThanTheStoredRow() {
    projection.apply(dsl, List.of(create(ADA, 100)));

    assertThat(executedSql)
        .singleElement()
        .satisfies(
            sql ->
                assertThat(sql)
                    .startsWith("insert into \"sales_read\".\"customers\" (")
                    .contains(" on conflict (\"id\") do update set ")
                    .contains("\"deleted\" = excluded.\"deleted\"")
                    .contains("\"source_lsn\" = excluded.\"source_lsn\"")
                    .contains("\"applied_at\" = excluded.\"applied_at\"")
                    .doesNotContain("\"id\" = excluded.\"id\"")
                    .endsWith(
                        " where \"sales_read\".\"customers\".\"source_lsn\" <"
                            + " excluded.\"source_lsn\""));
  }

  @Test
  void createWritesTheRowWithItsSourcePosition() {
    OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);

    projection.apply(dsl, List.of(create(ADA, 100)));

    Map<String, Object> row = writtenRows().getFirst();
    assertThat(row)
        .containsExactlyEntriesOf(
            expected(
                "id",
                UUID.fromString(ADA),
                "name",
                "Ada Lovelace",
                "email",
                "ada@example.org",
                "country",
                "GB",
                "segment",
                "ENTERPRISE",
                "created_at",
                OffsetDateTime.parse("2024-05-01T10:15:30.123456Z"),
                "updated_at",
                OffsetDateTime.parse("2024-05-01T10:15:30.123456Z"),
                "deleted",
                false,
                "source_lsn",
                100L,
                "source_tx_id",
                771L,
                "source_commit_time",
                OffsetDateTime.parse("2024-05-02T08:00:01.000042Z"),
                "applied_at",
                row.get("applied_at")));
    assertThat((OffsetDateTime) row.get("applied_at"))
        .isBetween(before, OffsetDateTime.now(ZoneOffset.UTC));
  }

  @Test
  void updateWritesTheRowAfterTheChange() {
    projection.apply(dsl, List.of(update(ADA, 120, "Ada King")));

    assertThat(writtenRows())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row)
                  .containsEntry("name", "Ada King")
                  .containsEntry("deleted", false)
                  .containsEntry("source_lsn", 120L);
            });
  }

  @Test
  void deleteWritesTombstoneWithNullDataColumns() {
    projection.apply(dsl, List.of(delete(ADA, 300)));

    Map<String, Object> row = writtenRows().getFirst();
    assertThat(row)
        .containsEntry("id", UUID.fromString(ADA))
        .containsEntry("deleted", true)
        .containsEntry("source_lsn", 300L)
        .containsEntry("source_tx_id", 771L);
    assertThat(row)
        .extractingByKeys("name", "email", "country", "segment", "created_at", "updated_at")
        .containsOnlyNulls();
    assertThat(executedSql.getFirst())
        .contains(" where \"sales_read\".\"customers\".\"source_lsn\" < excluded.\"source_lsn\"");
  }

  static Stream<Arguments> batchesWithSeveralChangesOfOneKey() {
    ChangeEvent adaCreated = create(ADA, 100);
    ChangeEvent graceCreated = create(GRACE, 150);
    ChangeEvent adaRenamed = update(ADA, 200, "Ada King");
    ChangeEvent adaDeleted = delete(ADA, 300);
    return Stream.of(
        Arguments.of("in log order", List.of(adaCreated, graceCreated, adaRenamed, adaDeleted)),
        Arguments.of("newest first", List.of(adaDeleted, adaRenamed, graceCreated, adaCreated)),
        Arguments.of(
            "redelivered",
            List.of(adaCreated, adaRenamed, adaDeleted, graceCreated, adaCreated, adaRenamed)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("batchesWithSeveralChangesOfOneKey")
  void writesOnlyTheNewestChangeOfEachKeyInABatch(String description, List<ChangeEvent> batch) {
    projection.apply(dsl, batch);

    assertThat(writtenRows())
        .extracting(r -> r.get("id"), r -> r.get("source_lsn"), r -> r.get("deleted"))
        .containsExactlyInAnyOrder(
            tuple(UUID.fromString(ADA), 300L, true), tuple(UUID.fromString(GRACE), 150L, false));
    assertThat(executedSql).as("one multi-row statement per batch").hasSize(1);
  }

  @Test
  void emptyBatchWritesNothing() {
    projection.apply(dsl, List.of());

    assertThat(executedSql).isEmpty();
  }

  @Test
  void refusesTableWithoutBookkeepingColumns() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new MirroredTableProjection(CUSTOMER, Tables.CUSTOMERS))
        .withMessageContaining("deleted");
  }

  @Test
  void refusesTableWithoutPrimaryKey() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new MirroredTableProjection(
                    CUSTOMER, DSL.table(DSL.name("sales_read", "customers"))))
        .withMessageContaining("primary key");
  }

  /** Per inserted row (a statement may insert several), the value bound to each column. */
  private List<Map<String, Object>> writtenRows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Query query : executedQueries) {
      Matcher columns = INSERT_COLUMNS.matcher(query.getSQL());
      assertThat(columns.find()).as(query.getSQL()).isTrue();
      List<String> names =
          Arrays.stream(columns.group(1).split(", ")).map(c -> c.replace("\"", "")).toList();
      List<Object> values = query.getBindValues();
      assertThat(values.size() % names.size())
          .as("one value per inserted column, none elsewhere")
          .isZero();
      for (int start = 0; start < values.size(); start += names.size()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
          row.put(names.get(i), values.get(start + i));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private static Map<String, Object> expected(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static ChangeEvent create(String id, long lsn) {
    return event(ChangeOp.CREATE, id, lsn, null, row(id, "Ada Lovelace"));
  }

  private static ChangeEvent update(String id, long lsn, String name) {
    return event(ChangeOp.UPDATE, id, lsn, row(id, "Ada Lovelace"), row(id, name));
  }

  private static ChangeEvent delete(String id, long lsn) {
    return event(ChangeOp.DELETE, id, lsn, row(id, "Ada Lovelace"), null);
  }

  private static ChangeEvent event(
      ChangeOp op, String id, long lsn, ObjectNode before, ObjectNode after) {
    return new ChangeEvent(
        "sales",
        "customer",
        1,
        JSON.createObjectNode().put("id", id),
        op,
        before,
        after,
        new SourcePosition(lsn, 771L, Instant.parse("2024-05-02T08:00:01.000042Z"), false),
        Instant.parse("2024-05-02T08:00:01.5Z"));
  }

  private static ObjectNode row(String id, String name) {
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
