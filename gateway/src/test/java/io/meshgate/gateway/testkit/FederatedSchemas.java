package io.meshgate.gateway.testkit;

import com.apollographql.federation.graphqljava.Federation;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds a Federation v2 subgraph schema whose {@code _entities} field is driven by a list of
 * entity types.
 */
final class FederatedSchemas {

  /**
   * How one entity type of a subgraph is found from a representation the gateway sends.
   *
   * @param typename the GraphQL type, matched against the representation's {@code __typename}
   * @param javaType the class of the objects {@code find} returns, to resolve {@code _Entity} back
   *     to the type
   * @param find the object for a representation, empty when the subgraph does not know the key
   */
  record EntityType(
      String typename, Class<?> javaType, Function<Map<String, Object>, Optional<?>> find) {}

  private FederatedSchemas() {}

  static GraphQLSchema build(String sdl, RuntimeWiring wiring, List<EntityType> entityTypes) {
    return Federation.transform(sdl, wiring)
        .fetchEntities(entitiesFetcher(entityTypes))
        .resolveEntityType(typeResolver(entityTypes))
        .build();
  }

  /**
   * Resolves every representation in order; an unknown key yields {@code null} at its index and an
   * error there.
   */
  private static DataFetcher<DataFetcherResult<List<@Nullable Object>>> entitiesFetcher(
      List<EntityType> entityTypes) {
    return env -> {
      List<Map<String, Object>> representations = env.getArgument("representations");
      List<@Nullable Object> entities = new ArrayList<>();
      List<GraphQLError> errors = new ArrayList<>();
      for (Map<String, Object> representation : representations) {
        Optional<?> entity = find(entityTypes, representation);
        if (entity.isEmpty()) {
          errors.add(
              GraphqlErrorBuilder.newError(env)
                  .message("Cannot resolve entity %s", representation)
                  .path(env.getExecutionStepInfo().getPath().segment(entities.size()))
                  .build());
        }
        entities.add(entity.orElse(null));
      }
      return DataFetcherResult.<List<@Nullable Object>>newResult()
          .data(entities)
          .errors(errors)
          .build();
    };
  }

  private static Optional<?> find(
      List<EntityType> entityTypes, Map<String, Object> representation) {
    Object typename = representation.get("__typename");
    return entityTypes.stream()
        .filter(type -> type.typename().equals(typename))
        .findFirst()
        .flatMap(type -> type.find().apply(representation));
  }

  private static TypeResolver typeResolver(List<EntityType> entityTypes) {
    return env -> {
      Object entity = env.getObject();
      String typename =
          entityTypes.stream()
              .filter(type -> type.javaType().isInstance(entity))
              .map(EntityType::typename)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("not an entity: " + entity));
      return env.getSchema().getObjectType(typename);
    };
  }

  /** The key value of a representation as a string: IDs may arrive as JSON numbers. */
  static String key(Map<String, Object> representation, String field) {
    Object value = representation.get(field);
    if (value == null) {
      throw new IllegalArgumentException(
          "representation without key field " + field + ": " + representation);
    }
    return String.valueOf(value);
  }
}
