package io.meshgate.product.api;

import java.util.Map;

/**
 * A data product the mesh can run: found on the classpath through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.meshgate.product.api.DataProductModule}), so adding a product means
 * adding its files, not editing the launcher or the other products.
 */
public interface DataProductModule {

  /** What the product declares: name, captured entities, contract locations. */
  ProductDefinition definition();

  /** The product's Spring Boot application class (its subgraph, pipeline and database). */
  Class<?> applicationClass();

  /** Spring properties the product needs beyond datasource, Kafka, state directory and port. */
  Map<String, Object> defaultProperties();

  /** The HTTP port the product listens on by default. */
  int defaultPort();

  /** Name of the product, as in its definition. */
  default String name() {
    return definition().name();
  }
}
