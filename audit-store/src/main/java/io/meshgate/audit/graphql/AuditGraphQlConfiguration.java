package io.meshgate.audit.graphql;

import com.apollographql.federation.graphqljava.Federation;
import com.apollographql.federation.graphqljava._Entity;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.meshgate.audit.graphql.AuditResults.AuditedRecord;
import io.meshgate.audit.graphql.ProductContracts.ProductEntity;
import io.meshgate.runtime.subgraph.InvalidInputResolver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.graphql.execution.DataFetcherExceptionResolver;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;

/**
 * Makes the audit schema a Federation v2 subgraph whose entity types are generated: the SDL under
 * {@code meshgate/audit/graphql/} plus {@link HistoryTypes#sdl()}, with {@code _entities} resolving
 * each product record by type and id and {@code history} reading its entries. Input errors become
 * GraphQL errors naming the argument, as in every product's subgraph.
 */
@Configuration(proxyBeanMethods = false)
public class AuditGraphQlConfiguration {

  @Bean
  ProductContracts productContracts() {
    return ProductContracts.fromClasspath();
  }

  @Bean
  HistoryTypes historyTypes(ProductContracts contracts) {
    return HistoryTypes.of(contracts);
  }

  @Bean
  GraphQlSourceBuilderCustomizer auditFederationCustomizer(HistoryTypes types) {
    return builder -> {
      String generated = types.sdl();
      if (!generated.isEmpty()) {
        builder.schemaResources(
            new ByteArrayResource(
                generated.getBytes(StandardCharsets.UTF_8),
                "history types generated from the product contracts"));
      }
      builder.schemaFactory(
          (registry, wiring) ->
              Federation.transform(registry, wiring)
                  .fetchEntities(entitiesFetcher(types))
                  .resolveEntityType(
                      env -> {
                        Object source = env.getObject();
                        return source instanceof AuditedRecord record
                            ? env.getSchema().getObjectType(record.typeName())
                            : null;
                      })
                  .build());
    };
  }

  private static DataFetcher<List<@Nullable AuditedRecord>> entitiesFetcher(HistoryTypes types) {
    return env -> {
      List<Map<String, Object>> representations = env.getArgument(_Entity.argumentName);
      List<@Nullable AuditedRecord> records = new ArrayList<>();
      for (Map<String, Object> representation :
          representations == null ? List.<Map<String, Object>>of() : representations) {
        Object typeName = representation.get("__typename");
        Object id = representation.get("id");
        boolean known = typeName instanceof String name && types.entity(name).isPresent();
        records.add(
            known && id != null ? new AuditedRecord((String) typeName, id.toString()) : null);
      }
      return records;
    };
  }

  @Bean
  RuntimeWiringConfigurer historyWiring(HistoryTypes types, AuditQueries queries) {
    return wiring ->
        types
            .byType()
            .forEach(
                (typeName, entity) ->
                    wiring.type(
                        typeName,
                        type ->
                            type.dataFetcher("id", env -> ((AuditedRecord) env.getSource()).id())
                                .dataFetcher(
                                    HistoryTypes.FIELD, env -> history(queries, entity, env))));
  }

  private static Object history(
      AuditQueries queries, ProductEntity entity, DataFetchingEnvironment env) {
    AuditedRecord record = env.getSource();
    Integer first = env.getArgument("first");
    return queries.history(record, entity, first == null ? HistoryTypes.DEFAULT_FIRST : first);
  }

  @Bean
  DataFetcherExceptionResolver invalidInputResolver() {
    return new InvalidInputResolver();
  }
}
