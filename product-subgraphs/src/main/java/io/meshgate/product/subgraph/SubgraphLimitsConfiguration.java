package io.meshgate.product.subgraph;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;

/**
 * The bounds every subgraph of the mesh (each product, the catalog, the audit log) puts on a
 * request, from {@link SubgraphLimits}: the body it reads, the operation it parses and runs, and a
 * quick, coded answer when its database has no free connection.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubgraphLimits.class)
public class SubgraphLimitsConfiguration {

  @Bean
  OperationLimits operationLimits(SubgraphLimits limits) {
    return new OperationLimits(limits);
  }

  @Bean
  FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(SubgraphLimits limits) {
    FilterRegistrationBean<RequestBodyLimit> registration =
        new FilterRegistrationBean<>(new RequestBodyLimit(limits.maxBodySize().toBytes()));
    // First of all filters: nothing reads a body before its size is checked.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  DataFetcherExceptionResolver databaseBusyResolver() {
    return new DatabaseBusyResolver();
  }
}
