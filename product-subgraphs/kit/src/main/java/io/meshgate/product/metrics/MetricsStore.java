package io.meshgate.product.metrics;

import static org.jooq.impl.DSL.excluded;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgate.runtime.metrics.WindowedMetric;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.JSONB;
import org.jooq.Record;
import org.jooq.Table;
import org.jspecify.annotations.Nullable;

/**
 * The product's metrics read model: one row per metric, dimension values and window, holding the
 * latest published value of the window's in-time part and of its late part.
 */
public final class MetricsStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DSLContext dsl;
  private final Table<Record> table;
  private final Field<String> metric = field(name("metric"), String.class);
  private final Field<String> dimensionsKey = field(name("dimensions_key"), String.class);
  private final Field<JSONB> dimensions = field(name("dimensions"), JSONB.class);
  private final Field<OffsetDateTime> windowStart =
      field(name("window_start"), OffsetDateTime.class);
  private final Field<OffsetDateTime> windowEnd = field(name("window_end"), OffsetDateTime.class);
  private final Field<Long> count = field(name("count"), Long.class);
  private final Field<BigDecimal> sum = field(name("sum"), BigDecimal.class);
  private final Field<BigDecimal> max = field(name("max"), BigDecimal.class);
  private final Field<Long> lateCount = field(name("late_count"), Long.class);
  private final Field<BigDecimal> lateSum = field(name("late_sum"), BigDecimal.class);
  private final Field<BigDecimal> lateMax = field(name("late_max"), BigDecimal.class);
  private final Field<OffsetDateTime> updatedAt = field(name("updated_at"), OffsetDateTime.class);

  /** The store in the product's schema ({@code <product>.window_metrics}). */
  public MetricsStore(DSLContext dsl, String product) {
    this.dsl = dsl;
    this.table = table(name(product, "window_metrics"));
  }

  /**
   * Applies published metric values. Each is the whole aggregate of its part of its window, so
   * applying one twice, or an older one after a newer one of a different part, is harmless.
   */
  public void apply(Collection<WindowedMetric> metrics) {
    List<WindowedMetric> onTime = metrics.stream().filter(m -> !m.late()).toList();
    List<WindowedMetric> late = metrics.stream().filter(WindowedMetric::late).toList();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    if (!onTime.isEmpty()) {
      upsert(onTime, count, sum, max, now);
    }
    if (!late.isEmpty()) {
      upsert(late, lateCount, lateSum, lateMax, now);
    }
  }

  private void upsert(
      List<WindowedMetric> values,
      Field<Long> countField,
      Field<BigDecimal> sumField,
      Field<BigDecimal> maxField,
      OffsetDateTime now) {
    // One value per key in a statement: ON CONFLICT cannot touch a row twice.
    Map<String, WindowedMetric> latestPerKey = new LinkedHashMap<>();
    values.forEach(m -> latestPerKey.put(m.recordKey(), m));
    var insert =
        dsl.insertInto(
            table,
            metric,
            dimensionsKey,
            dimensions,
            windowStart,
            windowEnd,
            countField,
            sumField,
            maxField,
            updatedAt);
    for (WindowedMetric m : latestPerKey.values()) {
      insert =
          insert.values(
              m.metric(),
              m.dimensionsKey(),
              JSONB.valueOf(dimensionsJson(m)),
              m.windowStart().atOffset(ZoneOffset.UTC),
              m.windowEnd().atOffset(ZoneOffset.UTC),
              m.count(),
              m.sum(),
              m.max(),
              now);
    }
    insert
        .onConflict(metric, dimensionsKey, windowStart)
        .doUpdate()
        .set(countField, excluded(countField))
        .set(sumField, excluded(sumField))
        .set(maxField, excluded(maxField))
        .set(updatedAt, excluded(updatedAt))
        .execute();
  }

  private static String dimensionsJson(WindowedMetric metric) {
    return JSON.valueToTree(metric.dimensions()).toString();
  }

  /**
   * Windows that started at or after {@code since}, newest first, then by metric and dimensions.
   *
   * @param onlyMetric one metric only, or null for all
   * @param limit most rows returned
   */
  public List<MetricRow> since(Instant since, @Nullable String onlyMetric, int limit) {
    Condition condition = windowStart.ge(since.atOffset(ZoneOffset.UTC));
    if (onlyMetric != null) {
      condition = condition.and(metric.eq(onlyMetric));
    }
    List<MetricRow> rows = new ArrayList<>();
    for (Record r :
        dsl.select(metric, dimensions, windowStart, windowEnd, count, sum, max, lateCount, lateSum)
            .from(table)
            .where(condition)
            .orderBy(windowStart.desc(), metric, dimensionsKey)
            .limit(limit)
            .fetch()) {
      rows.add(
          new MetricRow(
              r.get(metric),
              readDimensions(r.get(dimensions)),
              r.get(windowStart).toInstant(),
              r.get(windowEnd).toInstant(),
              r.get(count),
              r.get(sum),
              r.get(max),
              r.get(lateCount),
              r.get(lateSum)));
    }
    return rows;
  }

  private static Map<String, String> readDimensions(JSONB json) {
    Map<String, String> result = new TreeMap<>();
    try {
      JSON.readTree(json.data())
          .properties()
          .forEach(e -> result.put(e.getKey(), e.getValue().asText()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("window_metrics.dimensions is not JSON: " + json.data(), e);
    }
    return result;
  }

  /**
   * One window of one metric as stored: its in-time part and its late part.
   *
   * @param metric metric name
   * @param dimensions dimension values, sorted by name
   * @param windowStart start of the window
   * @param windowEnd end of the window
   * @param count in-time points
   * @param sum sum of in-time values
   * @param max largest in-time value
   * @param lateCount late points
   * @param lateSum sum of late values
   */
  public record MetricRow(
      String metric,
      Map<String, String> dimensions,
      Instant windowStart,
      Instant windowEnd,
      long count,
      @Nullable BigDecimal sum,
      @Nullable BigDecimal max,
      long lateCount,
      @Nullable BigDecimal lateSum) {}
}
