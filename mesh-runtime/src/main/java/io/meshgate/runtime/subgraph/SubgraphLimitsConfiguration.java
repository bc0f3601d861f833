package io.meshgate.runtime.subgraph;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.server.WebGraphQlInterceptor;

/**
 * The bounds every subgraph of the mesh (each product, the catalog, the audit log) puts on a
 * request, from {@link SubgraphLimits}, and the promise it keeps whatever it is sent: the body it
 * reads, the operation it parses and runs and for how long, a quick, coded answer when its database
 * has no free connection, and an answer in GraphQL with an error code for every request, one that
 * is no GraphQL request included.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SubgraphLimits.class)
public class SubgraphLimitsConfiguration {

  private static final String GRAPHQL_PATH = "${spring.graphql.http.path:/graphql}";

  @Bean
  OperationLimits operationLimits(SubgraphLimits limits) {
    return new OperationLimits(limits);
  }

  @Bean(destroyMethod = "close")
  OperationDeadline operationDeadline(SubgraphLimits limits) {
    return new OperationDeadline(limits.requestTimeout());
  }

  @Bean
  EntityRepresentations entityRepresentations() {
    return new EntityRepresentations();
  }

  @Bean
  WebGraphQlInterceptor errorCodes() {
    return new ErrorCodes();
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
  FilterRegistrationBean<GraphQlRequestFilter> graphQlRequestFilter(
      @Value(GRAPHQL_PATH) String path) {
    FilterRegistrationBean<GraphQlRequestFilter> registration =
        new FilterRegistrationBean<>(new GraphQlRequestFilter());
    registration.addUrlPatterns(path);
    // Right after the size check, before anything else reads the body or parses a header.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
    return registration;
  }

  @Bean
  GraphQlErrorController graphQlErrorController(@Value(GRAPHQL_PATH) String path) {
    return new GraphQlErrorController(path);
  }

  /**
   * Puts {@link GraphQlErrorReportValve} in place of Tomcat's HTML error report (and of the one
   * Spring Boot configures): runs after Spring Boot's own customizer, and names the valve as the
   * host's, so that Tomcat does not add its default one on start.
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> graphQlErrorReport() {
    return factory ->
        factory.addContextCustomizers(
            context -> {
              if (!(context.getParent() instanceof StandardHost host)) {
                return;
              }
              for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                  host.getPipeline().removeValve(valve);
                }
              }
              host.setErrorReportValveClass(GraphQlErrorReportValve.class.getName());
              host.getPipeline().addValve(new GraphQlErrorReportValve());
            });
  }

  @Bean
  DataFetcherExceptionResolver databaseBusyResolver() {
    return new DatabaseBusyResolver();
  }

  @Bean
  DataFetcherExceptionResolver invalidValueResolver() {
    return new InvalidValueResolver();
  }
}
