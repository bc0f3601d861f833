package io.meshgate.runtime.subgraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class SubgraphLimitsTest {

  @Test
  void unconfiguredLimitsAreTheDocumentedDefaults() {
    assertThat(bind(Map.of())).isEqualTo(SubgraphLimits.DEFAULTS);
    assertThat(SubgraphLimits.DEFAULTS.maxBodySize()).isEqualTo(DataSize.ofKilobytes(512));
  }

  @Test
  void eachLimitIsConfigurable() {
    SubgraphLimits limits =
        bind(
            Map.of(
                "meshgate.subgraph.max-body-size",
                "1MB",
                "meshgate.subgraph.max-cost",
                "50000",
                "meshgate.subgraph.max-depth",
                "12",
                "meshgate.subgraph.max-root-fields",
                "50",
                "meshgate.subgraph.request-timeout",
                "2s"));

    assertThat(limits.maxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
    assertThat(limits.maxCost()).isEqualTo(50_000);
    assertThat(limits.maxDepth()).isEqualTo(12);
    assertThat(limits.maxRootFields()).isEqualTo(50);
    assertThat(limits.requestTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
  }

  @Test
  void aLimitThatIsNotPositiveIsRefusedNamingTheProperty() {
    assertThatThrownBy(() -> bind(Map.of("meshgate.subgraph.max-cost", "0")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("meshgate.subgraph.max-cost must be positive");
  }

  private static SubgraphLimits bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("meshgate.subgraph", SubgraphLimits.class);
  }
}
