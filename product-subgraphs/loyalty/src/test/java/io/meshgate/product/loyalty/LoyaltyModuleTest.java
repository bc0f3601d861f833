package io.meshgate.product.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.api.EntityDefinition;
import io.meshgate.product.catalog.CatalogBuilder;
import io.meshgate.product.runtime.ProductRuntime;
import io.meshgate.runtime.topics.EventSchemas;
import org.junit.jupiter.api.Test;

class LoyaltyModuleTest {

  private final ClassLoader classpath = getClass().getClassLoader();

  @Test
  void isDiscoveredOnTheClasspathWithItsContractsWhereTheMeshLooksForThem() {
    DataProductModule loyalty =
        ProductRuntime.discover().stream()
            .filter(m -> m.name().equals("loyalty"))
            .findFirst()
            .orElseThrow();
    assertThat(loyalty.applicationClass()).isEqualTo(LoyaltySubgraph.class);
    assertThat(
            classpath.getResource(
                loyalty.definition().sqlLocation() + "/V1__loyalty_operational.sql"))
        .isNotNull();
    assertThat(classpath.getResource(loyalty.definition().graphqlLocation() + "/loyalty.graphqls"))
        .isNotNull();
    for (EntityDefinition entity : loyalty.definition().entities()) {
      assertThat(classpath.getResource(entity.eventSchema())).as(entity.eventSchema()).isNotNull();
    }
  }

  @Test
  void itsDescriptorKeepsTheDescriptorContract() {
    assertThat(
            new EventSchemas()
                .violations(
                    CatalogBuilder.DESCRIPTOR_SCHEMA, CatalogBuilder.readDescriptor("loyalty")))
        .isEmpty();
  }
}
