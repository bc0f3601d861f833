package io.meshgate.product.loyalty;

import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.readmodel.MirroredTableProjection;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.product.runtime.ProductConfiguration;
import io.meshgate.product.runtime.ProductRuntime;
import io.meshgate.runtime.subgraph.GraphiqlPage;
import io.meshgate.runtime.subgraph.SubgraphConfiguration;
import io.meshgate.schema.jooq.loyalty.loyalty_read.Tables;
import java.util.Map;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The loyalty data product as a Spring Boot service: its database, its capture-to-read-model
 * pipeline and its Federation v2 subgraph at {@code /graphql}.
 */
@SpringBootApplication
@Import({ProductConfiguration.class, SubgraphConfiguration.class})
public class LoyaltySubgraph {

  @Bean
  ProductDefinition loyaltyProduct() {
    return LoyaltyProduct.DEFINITION;
  }

  @Bean
  Projection memberProjection() {
    return new MirroredTableProjection(
        LoyaltyProduct.DEFINITION.entity("member").orElseThrow(), Tables.MEMBERS);
  }

  @Bean
  GraphiqlPage graphiqlPage() {
    return new GraphiqlPage(
        "Meshgate loyalty subgraph",
        "/graphql",
        """
        # The loyalty data product: memberships, served from its read model.
        query Member($id: ID!) {
          loyaltyMember(id: $id) { id tier enrolledAt customer { id } }
        }
        """);
  }

  /** The properties that make this product a subgraph; callers add datasource, Kafka, port. */
  public static Map<String, Object> defaultProperties() {
    return ProductRuntime.subgraphProperties(LoyaltyProduct.DEFINITION);
  }
}
