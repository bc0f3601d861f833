package io.meshgate.product.sales;

import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.api.ProductDefinition;
import java.util.Map;

/** The sales product as the mesh discovers it. */
public final class SalesModule implements DataProductModule {

  @Override
  public ProductDefinition definition() {
    return SalesProduct.DEFINITION;
  }

  @Override
  public Class<?> applicationClass() {
    return SalesSubgraph.class;
  }

  @Override
  public Map<String, Object> defaultProperties() {
    return SalesSubgraph.defaultProperties();
  }

  @Override
  public int defaultPort() {
    return 8081;
  }
}
