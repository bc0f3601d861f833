package io.meshgate.runtime.subgraph;

import com.apollographql.federation.graphqljava._Entity;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLUnionType;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Checks the {@code representations} of an {@code _entities} call before any entity is fetched:
 * {@code _Any} lets a client send any value, and federation's entity fetchers take each for an
 * object with a {@code __typename}. A value that is not one (a number, a string, an object without
 * a string {@code __typename} or naming a type that is no entity of this subgraph) is an {@link
 * InvalidInputException} naming {@code representations} and the item, coded {@code BAD_USER_INPUT},
 * and nothing is fetched.
 */
public final class EntityRepresentations implements Instrumentation {

  private static final int SHOWN_NAME = 80;

  /**
   * The entity types of the last schema seen; a subgraph serves one schema, so this is computed
   * once.
   */
  private volatile @Nullable EntityTypes entityTypes;

  private record EntityTypes(GraphQLSchema schema, Set<String> names) {}

  @Override
  public DataFetcher<?> instrumentDataFetcher(
      DataFetcher<?> dataFetcher,
      InstrumentationFieldFetchParameters parameters,
      @Nullable InstrumentationState state) {
    if (!parameters.getField().getName().equals(_Entity.fieldName)
        || parameters.getExecutionStepInfo().getPath().getLevel() != 1) {
      return dataFetcher;
    }
    return env -> {
      check(env.getArgument(_Entity.argumentName), entityTypes(env));
      return dataFetcher.get(env);
    };
  }

  /**
   * Throws an {@link InvalidInputException} for the first representation that is not an object
   * whose {@code __typename} is one of {@code entityTypes}.
   */
  static void check(@Nullable Object representations, Set<String> entityTypes) {
    if (!(representations instanceof Collection<?> items)) {
      throw new InvalidInputException(
          _Entity.argumentName, "must be a list of objects, each with a __typename");
    }
    int index = 0;
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> representation)) {
        throw invalid(
            index,
            "is " + kind(item) + ", not an object with a __typename and the entity's key fields");
      }
      if (!(representation.get("__typename") instanceof String typeName)) {
        throw invalid(
            index,
            "has no __typename string naming its entity type (one of "
                + String.join(", ", entityTypes)
                + ")");
      }
      if (!entityTypes.contains(typeName)) {
        throw invalid(
            index,
            "names __typename '"
                + shown(typeName)
                + "', which is not an entity type of this subgraph"
                + " (one of "
                + String.join(", ", entityTypes)
                + ")");
      }
      index++;
    }
  }

  private static InvalidInputException invalid(int index, String problem) {
    return new InvalidInputException(
        _Entity.argumentName, "item " + index + " (counting from 0) " + problem);
  }

  private static String kind(@Nullable Object value) {
    return switch (value) {
      case null -> "null";
      case String s -> "a string";
      case Number n -> "a number";
      case Boolean b -> "a boolean";
      case Collection<?> c -> "a list";
      default -> "an unsupported value";
    };
  }

  private static String shown(String name) {
    String printable =
        name.codePoints()
            .limit(SHOWN_NAME)
            .map(c -> Character.isISOControl(c) ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return name.codePointCount(0, name.length()) > SHOWN_NAME ? printable + "..." : printable;
  }

  private Set<String> entityTypes(DataFetchingEnvironment env) {
    GraphQLSchema schema = env.getGraphQLSchema();
    EntityTypes known = entityTypes;
    if (known == null || known.schema() != schema) {
      known = new EntityTypes(schema, entityTypeNames(schema));
      entityTypes = known;
    }
    return known.names();
  }

  /**
   * The members of the {@code _Entity} union: the types whose representations this subgraph
   * resolves.
   */
  static Set<String> entityTypeNames(GraphQLSchema schema) {
    Set<String> names = new TreeSet<>();
    if (schema.getType(_Entity.typeName) instanceof GraphQLUnionType union) {
      union.getTypes().forEach(member -> names.add(member.getName()));
    }
    return names;
  }
}
