package io.meshgate.product.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.product.api.DataProductModule;
import org.junit.jupiter.api.Test;

class ProductRuntimeTest {

  @Test
  void discoversEveryProductOnTheClasspathWithItsContracts() {
    assertThat(ProductRuntime.discover())
        .extracting(DataProductModule::name)
        .contains("sales")
        .doesNotHaveDuplicates();
    DataProductModule sales =
        ProductRuntime.discover().stream()
            .filter(m -> m.name().equals("sales"))
            .findFirst()
            .orElseThrow();
    assertThat(sales.defaultPort()).isEqualTo(8081);
    assertThat(sales.defaultProperties())
        .containsKey("spring.graphql.schema.locations")
        .as("a request waits seconds, not Hikari's 30 s, for a free connection")
        .containsEntry("spring.datasource.hikari.connection-timeout", "3000");
    assertThat(getClass().getClassLoader().getResource(sales.definition().sqlLocation()))
        .isNotNull();
  }
}
