package io.meshgate.product.loyalty;

import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.api.ProductDefinition;
import java.util.Map;

/** The loyalty product as the mesh discovers it. */
public final class LoyaltyModule implements DataProductModule {

  @Override
  public ProductDefinition definition() {
    return LoyaltyProduct.DEFINITION;
  }

  @Override
  public Class<?> applicationClass() {
    return LoyaltySubgraph.class;
  }

  @Override
  public Map<String, Object> defaultProperties() {
    return LoyaltySubgraph.defaultProperties();
  }

  @Override
  public int defaultPort() {
    return 8086;
  }
}
