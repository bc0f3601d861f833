package io.meshgate.product.distribution;

import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.api.ProductDefinition;
import java.util.Map;

/** The distribution product as the mesh discovers it. */
public final class DistributionModule implements DataProductModule {

  @Override
  public ProductDefinition definition() {
    return DistributionProduct.DEFINITION;
  }

  @Override
  public Class<?> applicationClass() {
    return DistributionSubgraph.class;
  }

  @Override
  public Map<String, Object> defaultProperties() {
    return DistributionSubgraph.defaultProperties();
  }

  @Override
  public int defaultPort() {
    return 8082;
  }
}
