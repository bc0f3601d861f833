package io.meshgate.catalog.service;

import io.meshgate.catalog.Catalog;
import io.meshgate.catalog.index.IndexOptions;
import io.meshgate.runtime.subgraph.GraphiqlPage;
import io.meshgate.runtime.subgraph.SubgraphConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The enterprise catalog as a Spring Boot service: the index under {@code meshgate.state-dir}, kept
 * equal to {@code mesh.catalog} by {@link CatalogConsumer}, served as a Federation v2 subgraph at
 * {@code /graphql} with GraphiQL at {@code /graphiql}.
 */
@SpringBootApplication
@EnableConfigurationProperties(CatalogServiceProperties.class)
@Import(SubgraphConfiguration.class)
public class CatalogSubgraph {

  private static final Logger log = LoggerFactory.getLogger(CatalogSubgraph.class);

  @Bean(destroyMethod = "close")
  Catalog catalog(CatalogServiceProperties properties) throws IOException {
    Files.createDirectories(properties.indexDirectory());
    return Catalog.open(
        properties.indexDirectory(),
        IndexOptions.defaults(),
        properties.catalog().searchTimeBudget());
  }

  @Bean
  AuditHeads auditHeads(CatalogServiceProperties properties) {
    TrustedAuditKeys trusted = TrustedAuditKeys.load(properties.catalog().auditPublicKeys());
    if (trusted.isEmpty()) {
      log.warn(
          "No audit public key is configured (meshgate.catalog.audit-public-keys): no product's"
              + " audit head will be shown");
    } else {
      log.info("Audit heads are shown when signed with key {}", String.join(" or ", trusted.ids()));
    }
    return new AuditHeads(trusted);
  }

  @Bean
  ProductMetrics productMetrics() {
    return new ProductMetrics();
  }

  @Bean
  CatalogConsumer catalogConsumer(
      Catalog catalog,
      AuditHeads auditHeads,
      ProductMetrics metrics,
      CatalogServiceProperties properties) {
    return new CatalogConsumer(catalog, auditHeads, metrics, properties);
  }

  @Bean
  GraphiqlPage graphiqlPage() {
    return new GraphiqlPage(
        "Meshgate enterprise catalog",
        "/graphql",
        """
        # The enterprise catalog: every product's datasets, searchable, with lineage.
        query FindCustomers {
          catalogSearch(query: "customer", facets: ["product", "classification"], first: 5) {
            total
            hits { id kind product score highlights { field fragments } }
            facets { name values { value count } }
            didYouMean
            pageInfo { endCursor hasNextPage }
          }
        }
        """);
  }

  public static void main(String[] args) {
    new SpringApplicationBuilder(CatalogSubgraph.class)
        .properties(CatalogService.defaultProperties())
        .run(args);
  }
}
