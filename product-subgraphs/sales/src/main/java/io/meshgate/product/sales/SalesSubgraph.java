package io.meshgate.product.sales;

import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.config.MeshProperties;
import io.meshgate.product.readmodel.MirroredTableProjection;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.product.runtime.ProductConfiguration;
import io.meshgate.product.runtime.ProductRuntime;
import io.meshgate.product.runtime.SampleData;
import io.meshgate.runtime.subgraph.GraphiqlPage;
import io.meshgate.runtime.subgraph.SubgraphConfiguration;
import io.meshgate.schema.jooq.sales.sales_read.Tables;
import java.util.Map;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The sales data product as a Spring Boot service: its database, its capture-to-read-model pipeline
 * and its Federation v2 subgraph at {@code /graphql}.
 */
@SpringBootApplication
@Import({ProductConfiguration.class, SubgraphConfiguration.class})
public class SalesSubgraph {

  @Bean
  ProductDefinition salesProduct() {
    return SalesProduct.DEFINITION;
  }

  @Bean
  Projection customerProjection() {
    return new MirroredTableProjection(
        SalesProduct.DEFINITION.entity("customer").orElseThrow(), Tables.CUSTOMERS);
  }

  @Bean
  JavaMigration salesSampleCustomers(MeshProperties properties) {
    return SampleData.unlessDisabled(properties, new SampleCustomers());
  }

  @Bean
  GraphiqlPage graphiqlPage() {
    return new GraphiqlPage(
        "Meshgate sales subgraph",
        "/graphql",
        """
        # The sales data product: customers, served from its read model.
        query FirstCustomers {
          customers(first: 5, country: "DE") {
            totalCount
            edges { node { id name email segment version { lsn commitTime } } }
            pageInfo { endCursor hasNextPage }
          }
        }
        """);
  }

  /** The properties that make this product a subgraph; callers add datasource, Kafka, port. */
  public static Map<String, Object> defaultProperties() {
    return ProductRuntime.subgraphProperties(SalesProduct.DEFINITION);
  }

  public static void main(String[] args) {
    new SpringApplicationBuilder(SalesSubgraph.class).properties(defaultProperties()).run(args);
  }
}
