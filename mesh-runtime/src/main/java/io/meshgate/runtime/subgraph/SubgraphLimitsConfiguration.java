package io.meshgate.runtime.subgraph;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.core.StandardThreadExecutor;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.AbstractProtocol;
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

  /**
   * The application's name ({@code meshgate-sales}, {@code meshgate-catalog}, ...), which the
   * subgraph's threads carry so that a thread dump tells one subgraph's work from another's.
   */
  private static final String APPLICATION = "${spring.application.name:meshgate-subgraph}";

  @Bean
  OperationLimits operationLimits(SubgraphLimits limits) {
    return new OperationLimits(limits);
  }

  @Bean(destroyMethod = "close")
  OperationDeadline operationDeadline(
      SubgraphLimits limits, @Value(APPLICATION) String application) {
    return new OperationDeadline(limits.requestTimeout(), application + "-operation-deadline");
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

  /**
   * Names the threads that serve the subgraph's requests after the application ({@code
   * meshgate-sales-http-1}, ...): Tomcat's own names ({@code http-nio-127.0.0.1-auto-1-exec-1})
   * number the connectors of a JVM and say nothing of whose they are. The pool is Tomcat's named
   * executor, {@link StandardThreadExecutor}, built as the connector would build its own pool, with
   * the connector's sizes: this runs after Spring Boot's customizer, which applies {@code
   * server.tomcat.threads.*}. Spring Boot registers the executor with the Tomcat service, which
   * starts it before the connector and stops it after. A connector that already has an executor
   * (virtual threads) keeps it.
   */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> requestThreadNames(
      @Value(APPLICATION) String application) {
    return factory ->
        factory.addConnectorCustomizers(
            connector -> {
              if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)
                  || protocol.getExecutor() != null) {
                return;
              }
              StandardThreadExecutor executor = new StandardThreadExecutor();
              executor.setName(application + "-http");
              executor.setNamePrefix(application + "-http-");
              executor.setMaxThreads(protocol.getMaxThreads());
              executor.setMinSpareThreads(protocol.getMinSpareThreads());
              executor.setMaxQueueSize(protocol.getMaxQueueSize());
              executor.setThreadPriority(protocol.getThreadPriority());
              protocol.setExecutor(executor);
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
