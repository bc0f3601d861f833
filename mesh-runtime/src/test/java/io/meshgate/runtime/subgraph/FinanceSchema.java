package io.meshgate.runtime.subgraph;

import com.apollographql.federation.graphqljava.Federation;
import com.apollographql.federation.graphqljava._Entity;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The finance subgraph's schema as it is served (its SDL and the shared metrics types, federated).
 */
final class FinanceSchema {

  private FinanceSchema() {}

  /**
   * The schema; every root field counts its calls in {@code fetches}, {@code _entities} answers
   * null for each representation, everything else resolves to null.
   */
  static GraphQLSchema build(AtomicInteger fetches) {
    TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
    for (String sdl :
        List.of(
            "meshgate/finance/graphql/finance.graphqls",
            "meshgate/metrics/graphql/metrics.graphqls")) {
      registry.merge(new SchemaParser().parse(read(sdl)));
    }
    DataFetcher<Object> nothing =
        env -> {
          fetches.incrementAndGet();
          return null;
        };
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type("Query", type -> type.defaultDataFetcher(nothing))
            .type("Mutation", type -> type.defaultDataFetcher(nothing))
            .build();
    return Federation.transform(registry, wiring)
        .fetchEntities(
            env -> {
              fetches.incrementAndGet();
              List<?> representations = env.getArgument(_Entity.argumentName);
              return new ArrayList<>(
                  Collections.nCopies(representations == null ? 0 : representations.size(), null));
            })
        .resolveEntityType(env -> null)
        .build();
  }

  private static String read(String resource) {
    try (InputStream in = FinanceSchema.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
