package io.meshgate.product.finance;

import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.api.ProductDefinition;
import java.util.Map;

/** The finance product as the mesh discovers it. */
public final class FinanceModule implements DataProductModule {

  @Override
  public ProductDefinition definition() {
    return FinanceProduct.DEFINITION;
  }

  @Override
  public Class<?> applicationClass() {
    return FinanceSubgraph.class;
  }

  @Override
  public Map<String, Object> defaultProperties() {
    return FinanceSubgraph.defaultProperties();
  }

  @Override
  public int defaultPort() {
    return 8083;
  }
}
