package io.meshgate.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.runtime.ProductRuntime;
import org.junit.jupiter.api.Test;

class ProductDiscoveryTest {

  @Test
  void theLauncherFindsTheProductsItDependsOnAndNotTheExampleProduct() {
    assertThat(ProductRuntime.discover())
        .extracting(DataProductModule::name)
        .as(
            "in port order; the example product (product-subgraphs/loyalty) is built for"
                + " FourthProductIT only")
        .containsExactly("sales", "distribution", "finance");
  }
}
