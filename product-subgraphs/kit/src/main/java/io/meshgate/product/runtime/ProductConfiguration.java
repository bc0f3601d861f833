package io.meshgate.product.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.catalog.CatalogBuilder;
import io.meshgate.product.catalog.CatalogPublisher;
import io.meshgate.product.cdc.PostgresSource;
import io.meshgate.product.config.MeshProperties;
import io.meshgate.product.metrics.MetricsGraphql;
import io.meshgate.product.metrics.MetricsProcessors;
import io.meshgate.product.metrics.MetricsStore;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.runtime.events.ChangeEventCodec;
import io.meshgate.runtime.metrics.MetricCodec;
import io.meshgate.runtime.startup.UnreachableException;
import io.meshgate.runtime.topics.EventSchemas;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans every data product shares: its database schema (migrated on start), jOOQ, the event
 * codec and the capture-to-read-model pipeline. A product contributes a {@link ProductDefinition}
 * bean, its {@link Projection}s and, optionally, Flyway {@link JavaMigration}s.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MeshProperties.class)
public class ProductConfiguration {

  @Bean
  ProductDatabase productDatabase(
      DataSource dataSource,
      DataSourceProperties dataSourceProperties,
      ProductDefinition product,
      List<JavaMigration> javaMigrations) {
    checkReachable(dataSource, dataSourceProperties.getUrl());
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:" + product.sqlLocation())
        .defaultSchema(product.name())
        .table("meshgate_schema_history")
        .javaMigrations(javaMigrations.toArray(JavaMigration[]::new))
        .load()
        .migrate();
    // The metrics read model every product shares, versioned on its own.
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:meshgate/metrics/sql")
        .defaultSchema(product.name())
        .table("meshgate_metrics_schema_history")
        // The product's own migrations ran first, so the schema is not empty; version 0 marks
        // where this history starts.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load()
        .migrate();
    return new ProductDatabase(product.name());
  }

  private static void checkReachable(DataSource dataSource, String url) {
    try (Connection connection = dataSource.getConnection()) {
      connection.isValid(5);
    } catch (SQLException e) {
      throw new UnreachableException("Postgres", url, e.getMessage());
    }
  }

  @Bean
  DSLContext dslContext(DataSource dataSource, ProductDatabase migrated) {
    return DSL.using(dataSource, SQLDialect.POSTGRES);
  }

  @Bean
  EventSchemas eventSchemas() {
    return new EventSchemas();
  }

  @Bean
  ChangeEventCodec changeEventCodec(EventSchemas schemas) {
    return new ChangeEventCodec(schemas);
  }

  @Bean
  ProductPipeline productPipeline(
      ProductDefinition product,
      MeshProperties properties,
      DataSourceProperties dataSourceProperties,
      DSLContext dsl,
      ChangeEventCodec codec,
      List<Projection> projections) {
    PostgresSource source =
        PostgresSource.fromJdbcUrl(
            dataSourceProperties.getUrl(),
            dataSourceProperties.getUsername(),
            dataSourceProperties.getPassword());
    return new ProductPipeline(product, properties, source, dsl, codec, projections);
  }

  @Bean
  MetricCodec metricCodec(EventSchemas schemas) {
    return new MetricCodec(schemas);
  }

  @Bean
  MetricsStore metricsStore(DSLContext dsl, ProductDefinition product) {
    return new MetricsStore(dsl, product.name());
  }

  @Bean
  @ConditionalOnProperty(
      name = "meshgate.metrics.enabled",
      havingValue = "true",
      matchIfMissing = true)
  MetricsProcessors metricsProcessors(
      ProductDefinition product,
      MeshProperties properties,
      ChangeEventCodec codec,
      MetricCodec metricCodec,
      MetricsStore store) {
    return new MetricsProcessors(product, properties, codec, metricCodec, store);
  }

  @Bean
  MetricsGraphql metricsGraphql(ProductDefinition product, MetricsStore store) {
    return new MetricsGraphql(product.name(), store, Clock.systemUTC());
  }

  @Bean
  @ConditionalOnProperty(
      name = "meshgate.catalog.enabled",
      havingValue = "true",
      matchIfMissing = true)
  CatalogPublisher catalogPublisher(
      ProductDefinition product,
      MeshProperties properties,
      DSLContext dsl,
      List<Projection> projections,
      EventSchemas schemas,
      MetricsStore metrics) {
    JsonNode descriptor = CatalogBuilder.readDescriptor(product.name());
    List<String> violations = schemas.violations(CatalogBuilder.DESCRIPTOR_SCHEMA, descriptor);
    if (!violations.isEmpty()) {
      throw new IllegalStateException(
          CatalogBuilder.descriptorLocation(product.name())
              + " breaks its contract: "
              + String.join("; ", violations));
    }
    CatalogBuilder builder = new CatalogBuilder(product, descriptor, dsl, projections);
    return new CatalogPublisher(
        product,
        properties,
        builder,
        schemas,
        dsl,
        metrics,
        properties.catalog().interval(),
        Clock.systemUTC());
  }

  /** Marks that the product's schema is migrated; beans that touch tables depend on it. */
  public record ProductDatabase(String product) {}
}
