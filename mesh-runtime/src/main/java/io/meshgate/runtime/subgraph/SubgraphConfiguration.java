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
 * field, and bounds every request ({@link SubgraphLimitsConfiguration}).
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
  DataFetcherExceptionResolver invalidInputResolver() {
    return new InvalidInputResolver();
  }
}
