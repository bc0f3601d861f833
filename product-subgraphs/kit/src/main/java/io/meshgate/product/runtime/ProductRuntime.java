package io.meshgate.product.runtime;

import io.meshgate.product.api.DataProductModule;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.runtime.subgraph.SubgraphLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Finds the data products on the classpath and starts them as Spring Boot applications. */
public final class ProductRuntime {

  private ProductRuntime() {}

  /** Every product module on the classpath, ordered by default port (a stable order). */
  public static List<DataProductModule> discover() {
    List<DataProductModule> modules = new ArrayList<>();
    ServiceLoader.load(DataProductModule.class).forEach(modules::add);
    modules.sort(
        Comparator.comparingInt(DataProductModule::defaultPort)
            .thenComparing(DataProductModule::name));
    return modules;
  }

  /** The Spring properties that make a product's application a subgraph on loopback. */
  public static Map<String, Object> subgraphProperties(ProductDefinition product) {
    Map<String, Object> properties =
        new LinkedHashMap<>(
            Map.of(
                "spring.application.name", "meshgate-" + product.name(),
                "spring.graphql.schema.locations",
                    "classpath:"
                        + product.graphqlLocation()
                        + "/,classpath:meshgate/metrics/graphql/",
                // GraphiqlPage serves GraphiQL with bundled assets; Spring's own page loads them
                // from a CDN.
                "spring.graphql.graphiql.enabled", "false",
                "spring.main.banner-mode", "off",
                "spring.jmx.enabled", "false",
                "server.address", "127.0.0.1"));
    properties.putAll(SubgraphLimits.databasePoolProperties());
    return Map.copyOf(properties);
  }

  /**
   * Starts one product.
   *
   * @param properties datasource, Kafka, state directory, port and anything else on top of the
   *     product's defaults
   */
  public static ConfigurableApplicationContext start(
      DataProductModule module, Map<String, Object> properties) {
    return new SpringApplicationBuilder(module.applicationClass())
        .properties(module.defaultProperties())
        .properties(properties)
        .logStartupInfo(false)
        .run();
  }
}
