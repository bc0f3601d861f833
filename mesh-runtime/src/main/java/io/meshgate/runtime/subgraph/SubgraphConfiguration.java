package io.meshgate.runtime.subgraph;

import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;

/**
 * Makes a product's Spring for GraphQL schema a Federation v2 subgraph ({@code _service}, {@code
 * _entities} through {@code @EntityMapping}), turns input errors into GraphQL errors that name the
 * field, bounds every request ({@link SubgraphLimitsConfiguration}) and parses each distinct
 * operation once ({@link ParsedOperationCache}).
 */
@Configuration(proxyBeanMethods = false)
@Import(SubgraphLimitsConfiguration.class)
public class SubgraphConfiguration {

  @Bean
  FederationSchemaFactory federationSchemaFactory() {
    return new FederationSchemaFactory();
  }

  @Bean
  GraphQlSourceBuilderCustomizer federationSchemaCustomizer(FederationSchemaFactory factory) {
    return builder -> builder.schemaFactory(factory::createGraphQLSchema);
  }

  @Bean
  GraphQlSourceBuilderCustomizer parsedOperationCacheCustomizer() {
    ParsedOperationCache cache = new ParsedOperationCache();
    return builder -> builder.configureGraphQl(graphQl -> graphQl.preparsedDocumentProvider(cache));
  }

  @Bean
  DataFetcherExceptionResolver invalidInputResolver() {
    return new InvalidInputResolver();
  }
}
