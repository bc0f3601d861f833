package io.meshgate.product.distribution;

import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.config.MeshProperties;
import io.meshgate.product.readmodel.MirroredTableProjection;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.product.runtime.ProductConfiguration;
import io.meshgate.product.runtime.ProductRuntime;
import io.meshgate.product.runtime.SampleData;
import io.meshgate.runtime.subgraph.GraphiqlPage;
import io.meshgate.runtime.subgraph.SubgraphConfiguration;
import io.meshgate.schema.jooq.distribution.distribution_read.Tables;
import java.util.Map;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.Table;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The distribution data product as a Spring Boot service: its database, its capture-to-read-model
 * pipeline and its Federation v2 subgraph at {@code /graphql}.
 */
@SpringBootApplication
@Import({ProductConfiguration.class, SubgraphConfiguration.class})
public class DistributionSubgraph {

  @Bean
  ProductDefinition distributionProduct() {
    return DistributionProduct.DEFINITION;
  }

  @Bean
  Projection warehouseProjection() {
    return mirror("warehouse", Tables.WAREHOUSES);
  }

  @Bean
  Projection orderProjection() {
    return mirror("order", Tables.ORDERS);
  }

  @Bean
  Projection orderLineProjection() {
    return mirror("order_line", Tables.ORDER_LINES);
  }

  @Bean
  Projection inventoryProjection() {
    return mirror("inventory", Tables.INVENTORY);
  }

  @Bean
  Projection shipmentProjection() {
    return mirror("shipment", Tables.SHIPMENTS);
  }

  /**
   * Distribution's replica of the sales customers it ships to, fed from sales' change topic (the
   * contract in schema/, not sales' code).
   */
  @Bean
  Projection salesCustomerReplica() {
    return new MirroredTableProjection(
        DistributionProduct.SALES_CUSTOMER, Tables.CUSTOMERS, "sales");
  }

  private static Projection mirror(String entity, Table<?> readTable) {
    return new MirroredTableProjection(
        DistributionProduct.DEFINITION.entity(entity).orElseThrow(), readTable);
  }

  @Bean
  JavaMigration distributionSampleOrders(MeshProperties properties) {
    return SampleData.unlessDisabled(properties, new SampleOrders());
  }

  @Bean
  JavaMigration distributionSampleInventory(MeshProperties properties) {
    return SampleData.unlessDisabled(properties, new SampleInventory());
  }

  @Bean
  GraphiqlPage graphiqlPage() {
    return new GraphiqlPage(
        "Meshgate distribution subgraph",
        "/graphql",
        """
        # The distribution data product: orders, served from its read model.
        query FirstOrders {
          orders(first: 5) {
            totalCount
            edges { node { id customerId status currency total placedAt
              lines { sku quantity unitPrice } warehouse { code } shipment { carrier status } } }
            pageInfo { endCursor hasNextPage }
          }
        }
        """);
  }

  /** The properties that make this product a subgraph; callers add datasource, Kafka, port. */
  public static Map<String, Object> defaultProperties() {
    return ProductRuntime.subgraphProperties(DistributionProduct.DEFINITION);
  }

  public static void main(String[] args) {
    new SpringApplicationBuilder(DistributionSubgraph.class)
        .properties(defaultProperties())
        .run(args);
  }
}
