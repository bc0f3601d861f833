package io.meshgate.catalog.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.runtime.events.InvalidEventException;
import io.meshgate.runtime.metrics.WindowedMetric;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProductMetricsTest {

  private final ProductMetrics metrics = new ProductMetrics();

  @Test
  void keepsTheLatestWindowOfEachSeriesAndIgnoresAnOlderRedelivery() throws InvalidEventException {
    metrics.accept(metric("sales", "orders", "BER", "01:00", false, 3));
    metrics.accept(metric("sales", "orders", "BER", "01:01", false, 5));
    metrics.accept(metric("sales", "orders", "BER", "01:00", false, 4));
    metrics.accept(metric("sales", "orders", "HAM", "01:00", false, 2));
    metrics.accept(metric("sales", "orders", "BER", "01:00", true, 1));

    List<WindowedMetric> sales = metrics.of("sales");
    assertThat(sales)
        .extracting(
            m ->
                m.dimensions().get("warehouse")
                    + "@"
                    + m.windowStart()
                    + (m.late() ? " late" : "")
                    + "="
                    + m.count())
        .containsExactly(
            "BER@2026-11-27T01:01:00Z=5",
            "BER@2026-11-27T01:00:00Z late=1",
            "HAM@2026-11-27T01:00:00Z=2");
    assertThat(metrics.of("finance")).isEmpty();
  }

  @Test
  void windowServedWithPlainDecimalsAndDimensionsByName() throws InvalidEventException {
    metrics.accept(metric("sales", "orders", "BER", "01:00", false, 3));

    CatalogMetricWindow window = CatalogMetricWindow.of(metrics.of("sales").getFirst());
    assertThat(window.dimensions())
        .containsExactly(new CatalogMetricWindow.Dimension("warehouse", "BER"));
    assertThat(window.sum()).isEqualTo("1000.50");
    assertThat(window.max()).isEqualTo("700");
  }

  @ParameterizedTest
  @CsvSource({
    "mesh.sales.metrics, true",
    "mesh.sales.customer.changes, false",
    "mesh.catalog, false",
    "mesh.Sales.metrics, false"
  })
  void recognisesProductMetricsTopics(String topic, boolean metricsTopic) {
    assertThat(ProductMetrics.isMetricsTopic(topic)).isEqualTo(metricsTopic);
  }

  @Test
  void valueThatIsNotAMetricIsRefusedWithItsProblems() {
    byte[] notAMetric =
        "{\"format\":\"meshgate.metric\",\"formatVersion\":1,\"product\":\"sales\"}"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> metrics.accept(notAMetric))
        .isInstanceOfSatisfying(
            InvalidEventException.class, e -> assertThat(e.reasons()).isNotEmpty());
    assertThat(metrics.of("sales")).isEmpty();
  }

  static byte[] metric(
      String product, String metric, String warehouse, String minute, boolean late, long count) {
    return ("{\"format\":\"meshgate.metric\",\"formatVersion\":1,\"product\":\""
            + product
            + "\",\"metric\":\""
            + metric
            + "\",\"dimensions\":{\"warehouse\":\""
            + warehouse
            + "\"},\"windowStart\":\"2026-11-27T"
            + minute
            + ":00Z\",\"windowEnd\":\"2026-11-27T"
            + minute
            + ":59Z\",\"late\":"
            + late
            + ",\"count\":"
            + count
            + ",\"sum\":\"1000.50\",\"max\":\"700\"}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
