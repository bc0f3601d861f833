package io.meshgate.runtime.subgraph;

import graphql.introspection.Introspection;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Estimates what an operation may cost a subgraph before it runs: the number of objects it may
 * return. Each object field counts 1 per object it may resolve; a list field multiplies everything
 * below it by its size, across levels, so {@code transactions(first: 500) { account {
 * transactions(first: 500) { id } } }} costs 1 + 500 + 500 + 250,000. A list's size is its {@code
 * first} or {@code limit} argument (or that argument's default); a connection's argument sizes the
 * lists directly under it ({@code edges}, {@code hits}); {@code _entities} has one item per
 * representation; any other list is assumed to have {@code assumedListSize} items. Scalars cost
 * nothing. Fragments are estimated once each (per slice size), so a document that spreads a
 * fragment many times is estimated in time linear in its length, never by expanding it.
 */
public final class OperationCost {

  /**
   * The arguments that bound how many items a list field (or the lists of a connection) returns.
   */
  private static final List<String> SLICING_ARGUMENTS = List.of("first", "limit");

  private static final Estimate NOTHING = new Estimate(0, 0);

  /**
   * What an operation may cost.
   *
   * @param cost objects it may return, saturating at {@link Long#MAX_VALUE}
   * @param depth deepest nesting of fields ({@code { a { b } }} is 2)
   */
  public record Estimate(long cost, int depth) {}

  private record FragmentKey(String name, @Nullable Long slice) {}

  private final GraphQLSchema schema;
  private final Map<String, FragmentDefinition> fragments;
  private final Map<String, Object> variables;
  private final int assumedListSize;
  private final Map<FragmentKey, Estimate> estimatedFragments = new HashMap<>();
  private final Set<String> fragmentsInProgress = new HashSet<>();

  private OperationCost(
      GraphQLSchema schema,
      Map<String, FragmentDefinition> fragments,
      Map<String, Object> variables,
      int assumedListSize) {
    this.schema = schema;
    this.fragments = fragments;
    this.variables = variables;
    this.assumedListSize = assumedListSize;
  }

  /**
   * Estimates one operation of a validated document.
   *
   * @param variables the operation's coerced variables
   * @param assumedListSize items assumed for a list field that no argument sizes
   */
  public static Estimate of(
      GraphQLSchema schema,
      OperationDefinition operation,
      Map<String, FragmentDefinition> fragments,
      Map<String, Object> variables,
      int assumedListSize) {
    GraphQLObjectType root =
        switch (operation.getOperation()) {
          case QUERY -> schema.getQueryType();
          case MUTATION -> schema.getMutationType();
          case SUBSCRIPTION -> schema.getSubscriptionType();
        };
    if (root == null) {
      return NOTHING;
    }
    return new OperationCost(schema, fragments, variables, assumedListSize)
        .selectionSet(operation.getSelectionSet(), root, null);
  }

  private Estimate selectionSet(
      @Nullable SelectionSet selectionSet, GraphQLCompositeType parent, @Nullable Long slice) {
    if (selectionSet == null) {
      return NOTHING;
    }
    long cost = 0;
    int depth = 0;
    for (Selection<?> selection : selectionSet.getSelections()) {
      Estimate estimate =
          switch (selection) {
            case Field field -> field(field, parent, slice);
            case InlineFragment inline ->
                selectionSet(
                    inline.getSelectionSet(),
                    typeCondition(inline.getTypeCondition(), parent),
                    slice);
            case FragmentSpread spread -> fragment(spread.getName(), slice);
            default -> NOTHING;
          };
      cost = add(cost, estimate.cost());
      depth = Math.max(depth, estimate.depth());
    }
    return new Estimate(cost, depth);
  }

  private Estimate fragment(String name, @Nullable Long slice) {
    FragmentDefinition definition = fragments.get(name);
    // A fragment that spreads itself is invalid; validation refuses it before any estimate.
    if (definition == null || fragmentsInProgress.contains(name)) {
      return NOTHING;
    }
    FragmentKey key = new FragmentKey(name, slice);
    Estimate known = estimatedFragments.get(key);
    if (known != null) {
      return known;
    }
    if (!(schema.getType(definition.getTypeCondition().getName())
        instanceof GraphQLCompositeType type)) {
      return NOTHING;
    }
    fragmentsInProgress.add(name);
    Estimate estimate = selectionSet(definition.getSelectionSet(), type, slice);
    fragmentsInProgress.remove(name);
    estimatedFragments.put(key, estimate);
    return estimate;
  }

  private Estimate field(Field field, GraphQLCompositeType parent, @Nullable Long parentSlice) {
    GraphQLFieldDefinition definition = definition(parent, field.getName());
    if (definition == null) {
      return new Estimate(0, 1);
    }
    if (!(GraphQLTypeUtil.unwrapAll(definition.getType()) instanceof GraphQLCompositeType type)) {
      return new Estimate(0, 1);
    }
    Long slice = slice(field, definition);
    boolean list = GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(definition.getType()));
    Estimate below = selectionSet(field.getSelectionSet(), type, list ? null : slice);
    long items = list ? listSize(field, slice, parentSlice) : 1;
    return new Estimate(multiply(items, add(1, below.cost())), below.depth() + 1);
  }

  private long listSize(Field field, @Nullable Long slice, @Nullable Long parentSlice) {
    if (slice != null) {
      return slice;
    }
    if (field.getName().equals("_entities")) {
      return representations(field);
    }
    return parentSlice != null ? parentSlice : assumedListSize;
  }

  private long representations(Field field) {
    Argument argument = argument(field, "representations");
    if (argument == null) {
      return 0;
    }
    return switch (argument.getValue()) {
      case ArrayValue array -> array.getValues().size();
      case VariableReference variable ->
          variables.get(variable.getName()) instanceof Collection<?> values ? values.size() : 1;
      default -> 1;
    };
  }

  /** The size a {@code first} or {@code limit} argument asks for, or null if the field has none. */
  private @Nullable Long slice(Field field, GraphQLFieldDefinition definition) {
    for (String name : SLICING_ARGUMENTS) {
      GraphQLArgument argument = definition.getArgument(name);
      if (argument == null) {
        continue;
      }
      Argument given = argument(field, name);
      Long value = given == null ? null : number(given.getValue());
      if (value == null) {
        value = defaultValue(argument);
      }
      if (value != null) {
        return Math.max(0, value);
      }
    }
    return null;
  }

  private static @Nullable Argument argument(Field field, String name) {
    for (Argument argument : field.getArguments()) {
      if (argument.getName().equals(name)) {
        return argument;
      }
    }
    return null;
  }

  private @Nullable Long number(Value<?> value) {
    return switch (value) {
      case IntValue literal -> saturated(literal.getValue());
      case VariableReference variable ->
          variables.get(variable.getName()) instanceof Number n ? n.longValue() : null;
      default -> null;
    };
  }

  private static @Nullable Long defaultValue(GraphQLArgument argument) {
    if (!argument.hasSetDefaultValue()) {
      return null;
    }
    return switch (argument.getArgumentDefaultValue().getValue()) {
      case IntValue literal -> saturated(literal.getValue());
      case Number n -> n.longValue();
      case null, default -> null;
    };
  }

  private @Nullable GraphQLFieldDefinition definition(GraphQLCompositeType parent, String name) {
    if (name.equals(Introspection.TypeNameMetaFieldDef.getName())) {
      return Introspection.TypeNameMetaFieldDef;
    }
    if (parent == schema.getQueryType()) {
      if (name.equals(Introspection.SchemaMetaFieldDef.getName())) {
        return Introspection.SchemaMetaFieldDef;
      }
      if (name.equals(Introspection.TypeMetaFieldDef.getName())) {
        return Introspection.TypeMetaFieldDef;
      }
    }
    return parent instanceof GraphQLFieldsContainer container
        ? container.getFieldDefinition(name)
        : null;
  }

  private GraphQLCompositeType typeCondition(
      @Nullable TypeName condition, GraphQLCompositeType parent) {
    if (condition == null) {
      return parent;
    }
    GraphQLType type = schema.getType(condition.getName());
    return type instanceof GraphQLCompositeType composite ? composite : parent;
  }

  private static long saturated(BigInteger value) {
    return value.bitLength() < Long.SIZE
        ? value.longValue()
        : (value.signum() < 0 ? 0 : Long.MAX_VALUE);
  }

  private static long add(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static long multiply(long a, long b) {
    return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
  }
}
