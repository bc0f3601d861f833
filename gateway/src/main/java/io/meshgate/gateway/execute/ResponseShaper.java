package io.meshgate.gateway.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.VariableReference;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLUnionType;
import io.meshgate.gateway.auth.OperationFilter;
import io.meshgate.gateway.plan.Selection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns the merged subgraph answers into the client's answer: exactly the fields the operation
 * selected, in its order, under its aliases, with fragments applied by runtime type, {@code
 * @skip}/{@code @include} honoured, and nulls propagated to the nearest nullable parent as the
 * GraphQL spec requires, with an error for every null in a non-null position not already
 * explained by a subgraph error.
 */
public final class ResponseShaper {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final GraphQLSchema schema;

  public ResponseShaper(GraphQLSchema schema) {
    this.schema = schema;
  }

  /** Marker for a null that must propagate to the parent. */
  private static final Object PROPAGATE = new Object();

  /** A response path, built only as far as errors need it. */
  private record Path(@Nullable Path parent, Object key) {

    static final Path ROOT = new Path(null, "");

    Path child(Object childKey) {
      return new Path(this, childKey);
    }

    List<Object> toList() {
      ArrayDeque<Object> keys = new ArrayDeque<>();
      for (Path p = this; p != null && p != ROOT; p = p.parent) {
        keys.addFirst(p.key);
      }
      return new ArrayList<>(keys);
    }
  }

  /** One response key of a selection set on one object type, with its merged sub-selections. */
  private record CollectedField(
      String key,
      Selection.Field field,
      List<Selection.Field> fields,
      List<Selection> subselections,
      @Nullable GraphQLFieldDefinition definition,
      String coordinate,
      boolean denied) {}

  /**
   * Per-operation memo of CollectFields results. Selection sets whose fields do not depend on
   * variables ({@code @skip}/{@code @include} with a variable) are collected once per type.
   */
  public static final class Memo {
    private final Map<MemoKey, List<CollectedField>> collected = new ConcurrentHashMap<>();

    private record MemoKey(Object selections, String type) {
      @Override
      public boolean equals(Object other) {
        return other instanceof MemoKey key
            && key.selections == selections
            && key.type.equals(type);
      }

      @Override
      public int hashCode() {
        return System.identityHashCode(selections) * 31 + type.hashCode();
      }
    }
  }

  /** A fresh memo for one prepared operation. */
  public static Memo newMemo() {
    return new Memo();
  }

  /**
   * Shapes {@code data} for {@code selections} on {@code rootType}.
   *
   * @param memo the operation's memo (see {@link #newMemo()})
   * @param errors the errors so far; errors for non-null violations are appended
   * @return the shaped data, or null when a non-null violation reached the root
   */
  public @Nullable ObjectNode shape(
      String rootType,
      List<Selection> selections,
      ObjectNode data,
      ObjectNode variables,
      List<ObjectNode> errors,
      Memo memo) {
    GraphQLObjectType root = schema.getObjectType(rootType);
    Object result = shapeObject(root, selections, data, variables, Path.ROOT, errors, memo);
    return result == PROPAGATE ? null : (ObjectNode) result;
  }

  private Object shapeObject(
      GraphQLFieldsContainer type,
      List<Selection> selections,
      ObjectNode source,
      ObjectNode variables,
      Path path,
      List<ObjectNode> errors,
      Memo memo) {
    ObjectNode out = NODES.objectNode();
    for (CollectedField collected : collect(type, selections, variables, memo)) {
      String key = collected.key();
      Selection.Field field = collected.field();
      if (field.name().equals("__typename")) {
        out.put(key, type.getName());
        continue;
      }
      if (field.name().equals("__schema") || field.name().equals("__type")) {
        JsonNode value = source.get(key);
        out.set(key, value == null ? NullNode.getInstance() : value);
        continue;
      }
      GraphQLFieldDefinition definition = collected.definition();
      if (definition == null) {
        continue;
      }
      Object completed =
          complete(
              definition.getType(),
              collected,
              collected.denied() ? null : source.get(key),
              variables,
              path.child(key),
              errors,
              memo);
      if (completed == PROPAGATE) {
        return PROPAGATE;
      }
      out.set(key, (JsonNode) completed);
    }
    return out;
  }

  private List<CollectedField> collect(
      GraphQLFieldsContainer type, List<Selection> selections, ObjectNode variables, Memo memo) {
    boolean cacheable = !dependsOnVariables(selections);
    Memo.MemoKey memoKey = new Memo.MemoKey(selections, type.getName());
    if (cacheable) {
      List<CollectedField> cached = memo.collected.get(memoKey);
      if (cached != null) {
        return cached;
      }
    }
    Map<String, List<Selection.Field>> byKey = new LinkedHashMap<>();
    collectFields(type, selections, variables, byKey);
    List<CollectedField> result = new ArrayList<>(byKey.size());
    for (Map.Entry<String, List<Selection.Field>> entry : byKey.entrySet()) {
      Selection.Field first = entry.getValue().get(0);
      List<Selection> subselections;
      if (entry.getValue().size() == 1) {
        subselections = first.selections();
      } else {
        subselections = new ArrayList<>();
        for (Selection.Field field : entry.getValue()) {
          subselections.addAll(field.selections());
        }
      }
      result.add(
          new CollectedField(
              entry.getKey(),
              first,
              List.copyOf(entry.getValue()),
              subselections,
              type.getFieldDefinition(first.name()),
              type.getName() + "." + first.name(),
              entry.getValue().stream().anyMatch(OperationFilter::isDenied)));
    }
    if (cacheable) {
      memo.collected.put(memoKey, result);
    }
    return result;
  }

  private static boolean dependsOnVariables(List<Selection> selections) {
    for (Selection selection : selections) {
      for (Directive directive : selection.directives()) {
        if ((directive.getName().equals("skip") || directive.getName().equals("include"))
            && directive.getArgument("if") != null
            && directive.getArgument("if").getValue() instanceof VariableReference) {
          return true;
        }
      }
      if (selection instanceof Selection.Fragment fragment
          && dependsOnVariables(fragment.selections())) {
        return true;
      }
    }
    return false;
  }

  private Object complete(
      GraphQLOutputType type,
      CollectedField field,
      @Nullable JsonNode value,
      ObjectNode variables,
      Path path,
      List<ObjectNode> errors,
      Memo memo) {
    if (type instanceof GraphQLNonNull nonNull) {
      Object inner =
          complete(
              (GraphQLOutputType) nonNull.getWrappedType(),
              field,
              value,
              variables,
              path,
              errors,
              memo);
      if (inner == PROPAGATE || ((JsonNode) inner).isNull()) {
        if (inner != PROPAGATE && !hasErrorAtOrBelow(errors, path.toList())) {
          errors.add(nullError(field.coordinate(), path.toList()));
        }
        return PROPAGATE;
      }
      return inner;
    }
    if (value == null || value.isNull()) {
      return NullNode.getInstance();
    }
    if (type instanceof GraphQLList list) {
      if (!(value instanceof ArrayNode array)) {
        return NullNode.getInstance();
      }
      ArrayNode out = NODES.arrayNode(array.size());
      for (int i = 0; i < array.size(); i++) {
        Object element =
            complete(
                (GraphQLOutputType) list.getWrappedType(),
                field,
                array.get(i),
                variables,
                path.child(i),
                errors,
                memo);
        if (element == PROPAGATE) {
          // A null in a non-null element position nulls the whole list; the list's own
          // wrapper decides whether that propagates further.
          return NullNode.getInstance();
        }
        out.add((JsonNode) element);
      }
      return out;
    }
    if (type instanceof GraphQLEnumType enumType) {
      return enumType.getValue(value.asText()) == null ? NullNode.getInstance() : value;
    }
    if (type instanceof GraphQLCompositeType composite) {
      if (!(value instanceof ObjectNode object)) {
        return NullNode.getInstance();
      }
      GraphQLFieldsContainer runtime = runtimeType(composite, object);
      if (runtime == null) {
        if (!hasErrorAtOrBelow(errors, path.toList())) {
          errors.add(runtimeTypeError(composite, object, path.toList()));
        }
        return NullNode.getInstance();
      }
      Object shaped =
          shapeObject(runtime, field.subselections(), object, variables, path, errors, memo);
      return shaped == PROPAGATE ? NullNode.getInstance() : shaped;
    }
    return value;
  }

  /**
   * The type to shape {@code value} as: its object type, or, for an object an
   * {@code @interfaceObject} subgraph returned whose concrete type no selection needed, the
   * interface it was returned as (its interface fields are all that was selected).
   */
  private @Nullable GraphQLFieldsContainer runtimeType(
      GraphQLCompositeType declared, ObjectNode value) {
    if (declared instanceof GraphQLObjectType object) {
      return object;
    }
    String typename = value.path("__typename").asText(null);
    if (typename == null) {
      return null;
    }
    GraphQLType type = schema.getType(typename);
    if (type instanceof GraphQLObjectType object && schema.isPossibleType(declared, object)) {
      return object;
    }
    if (type instanceof GraphQLInterfaceType iface
        && (iface == declared || implementsInterface(iface, declared))) {
      return iface;
    }
    return null;
  }

  private static boolean implementsInterface(
      GraphQLInterfaceType type, GraphQLCompositeType other) {
    for (graphql.schema.GraphQLNamedOutputType parent : type.getInterfaces()) {
      if (parent.getName().equals(other.getName())
          || parent instanceof GraphQLInterfaceType p && implementsInterface(p, other)) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode runtimeTypeError(
      GraphQLCompositeType declared, ObjectNode value, List<Object> path) {
    ObjectNode error = NODES.objectNode();
    JsonNode typename = value.get("__typename");
    error.put(
        "message",
        typename == null || !typename.isTextual()
            ? "the subgraph answer gives no __typename for a value of abstract type "
                + declared.getName()
            : "the subgraph answer gives __typename \""
                + typename.asText()
                + "\", which is not a possible type of "
                + declared.getName());
    error.set("path", toJson(path));
    error.putObject("extensions").put("code", "SUBGRAPH_INVALID_RESPONSE");
    return error;
  }

  /** The spec's CollectFields: fields by response key, fragments applied by runtime type. */
  private void collectFields(
      GraphQLFieldsContainer type,
      List<Selection> selections,
      ObjectNode variables,
      Map<String, List<Selection.Field>> out) {
    for (Selection selection : selections) {
      if (!included(selection.directives(), variables)) {
        continue;
      }
      switch (selection) {
        case Selection.Field field ->
            out.computeIfAbsent(field.responseKey(), k -> new ArrayList<>()).add(field);
        case Selection.Fragment fragment -> {
          if (fragment.typeCondition() == null || applies(fragment.typeCondition(), type)) {
            collectFields(type, fragment.selections(), variables, out);
          }
        }
      }
    }
  }

  private boolean applies(String condition, GraphQLFieldsContainer type) {
    if (condition.equals(type.getName())) {
      return true;
    }
    if (type instanceof GraphQLInterfaceType iface) {
      // Shaped as its interface: only conditions the interface itself satisfies apply.
      return schema.getType(condition) instanceof GraphQLInterfaceType conditionType
          && implementsInterface(iface, conditionType);
    }
    GraphQLType conditionType = schema.getType(condition);
    if (conditionType instanceof GraphQLInterfaceType
        || conditionType instanceof GraphQLUnionType) {
      return schema.isPossibleType(
          (graphql.schema.GraphQLNamedOutputType) conditionType, (GraphQLObjectType) type);
    }
    return false;
  }

  /** Evaluates {@code @skip} and {@code @include}. */
  static boolean included(List<Directive> directives, ObjectNode variables) {
    for (Directive directive : directives) {
      if (directive.getName().equals("skip") && condition(directive, variables)) {
        return false;
      }
      if (directive.getName().equals("include") && !condition(directive, variables)) {
        return false;
      }
    }
    return true;
  }

  private static boolean condition(Directive directive, ObjectNode variables) {
    Argument argument = directive.getArgument("if");
    if (argument == null) {
      return false;
    }
    return switch (argument.getValue()) {
      case BooleanValue b -> b.isValue();
      case VariableReference v -> variables.path(v.getName()).asBoolean(false);
      default -> false;
    };
  }

  private static boolean hasErrorAtOrBelow(List<ObjectNode> errors, List<Object> path) {
    for (ObjectNode error : errors) {
      JsonNode errorPath = error.get("path");
      if (errorPath == null || !errorPath.isArray()) {
        continue;
      }
      if (startsWith(errorPath, path) || startsWith(toJson(path), errorPath)) {
        return true;
      }
    }
    // A failed fetch without a precise path explains every null below its subgraph's fields.
    return errors.stream().anyMatch(e -> !e.has("path") && e.path("extensions").has("serviceName"));
  }

  private static boolean startsWith(JsonNode errorPath, List<Object> prefix) {
    if (errorPath.size() < prefix.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      JsonNode element = errorPath.get(i);
      Object expected = prefix.get(i);
      // "@" stands for every position of a list (an error about a field removed for each element).
      boolean same =
          expected instanceof Integer n
              ? (element.isInt() && element.asInt() == n)
                  || (element.isTextual() && element.asText().equals("@"))
              : element.isTextual() && element.asText().equals(expected);
      if (!same) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(ArrayNode path, JsonNode prefix) {
    if (path.size() < prefix.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      boolean everyElement = prefix.get(i).isTextual() && prefix.get(i).asText().equals("@");
      if (!path.get(i).equals(prefix.get(i)) && !(everyElement && path.get(i).isInt())) {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode nullError(String coordinate, List<Object> path) {
    ObjectNode error = NODES.objectNode();
    error.put("message", "Cannot return null for non-nullable field " + coordinate + ".");
    error.set("path", toJson(path));
    error.putObject("extensions").put("code", "NON_NULL_FIELD_IS_NULL");
    return error;
  }

  private static ArrayNode toJson(List<Object> path) {
    ArrayNode array = NODES.arrayNode();
    for (Object element : path) {
      if (element instanceof Integer i) {
        array.add(i);
      } else {
        array.add(element.toString());
      }
    }
    return array;
  }
}
