package io.meshgate.product.finance;

import io.meshgate.product.api.ProductDefinition;
import io.meshgate.product.config.MeshProperties;
import io.meshgate.product.readmodel.MirroredTableProjection;
import io.meshgate.product.readmodel.Projection;
import io.meshgate.product.runtime.ProductConfiguration;
import io.meshgate.product.runtime.ProductRuntime;
import io.meshgate.product.runtime.SampleData;
import io.meshgate.runtime.subgraph.GraphiqlPage;
import io.meshgate.runtime.subgraph.SubgraphConfiguration;
import io.meshgate.schema.jooq.finance.finance_read.Tables;
import java.util.Map;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jooq.Table;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The finance data product as a Spring Boot service: its database, its capture-to-read-model
 * pipeline and its Federation v2 subgraph at {@code /graphql}.
 */
@SpringBootApplication
@Import({ProductConfiguration.class, SubgraphConfiguration.class})
public class FinanceSubgraph {

  @Bean
  ProductDefinition financeProduct() {
    return FinanceProduct.DEFINITION;
  }

  @Bean
  Projection accountProjection() {
    return mirror("account", Tables.ACCOUNTS);
  }

  @Bean
  Projection ledgerTransactionProjection() {
    return mirror("ledger_transaction", Tables.LEDGER_TRANSACTIONS);
  }

  @Bean
  Projection invoiceProjection() {
    return mirror("invoice", Tables.INVOICES);
  }

  /** Invoices and ledger entries for distribution's orders, fed from distribution's order topic. */
  @Bean
  Projection orderReactions() {
    return new OrderReactions();
  }

  private static Projection mirror(String entity, Table<?> readTable) {
    return new MirroredTableProjection(
        FinanceProduct.DEFINITION.entity(entity).orElseThrow(), readTable);
  }

  @Bean
  JavaMigration financeSampleAccounts(MeshProperties properties) {
    return SampleData.unlessDisabled(properties, new SampleAccounts());
  }

  @Bean
  GraphiqlPage graphiqlPage() {
    return new GraphiqlPage(
        "Meshgate finance subgraph",
        "/graphql",
        """
        # The finance data product: accounts and invoices, served from its read model.
        query FirstInvoices {
          invoices(first: 5) {
            totalCount
            edges { node { id amount currency status issuedAt account { id currency balance } } }
            pageInfo { endCursor hasNextPage }
          }
        }
        """);
  }

  /** The properties that make this product a subgraph; callers add datasource, Kafka, port. */
  public static Map<String, Object> defaultProperties() {
    return ProductRuntime.subgraphProperties(FinanceProduct.DEFINITION);
  }

  public static void main(String[] args) {
    new SpringApplicationBuilder(FinanceSubgraph.class).properties(defaultProperties()).run(args);
  }
}
