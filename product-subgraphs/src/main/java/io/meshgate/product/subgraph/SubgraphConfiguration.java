package io.meshgate.product.subgraph;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;

/**
 * Makes a product's Spring for GraphQL schema a Federation v2 subgraph ({@code _service},
 * {@code _entities} through {@code @EntityMapping}) and turns input errors into GraphQL errors
 * that name the field.
 */
@Configuration(proxyBeanMethods = false)
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
    return new DataFetcherExceptionResolverAdapter() {
      @Override
      protected @Nullable GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
        if (!(ex instanceof InvalidInputException invalid)) {
          return null;
        }
        return GraphqlErrorBuilder.newError(env)
            .errorType(invalid.code().equals("NOT_FOUND") ? ErrorType.NOT_FOUND : ErrorType.BAD_REQUEST)
            .message(invalid.getMessage())
            .extensions(Map.of("code", invalid.code(), "field", invalid.field()))
            .build();
      }
    };
  }
}
