package io.meshgate.gateway.auth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Directive;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Type;
import graphql.language.TypeName;
import io.meshgate.gateway.plan.Selection;
import io.meshgate.gateway.supergraph.Supergraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Removes from an operation what its caller may not read, before it is planned (the filter mode of
 * the reference routers): each removed field or fragment becomes an error {@code
 * UNAUTHORIZED_FIELD_OR_TYPE} at its path (list positions as {@code "@"}), and the answer keeps its
 * shape with {@code null} there. A selection set left empty keeps {@code __typename}, so its object
 * is still fetched and answered.
 */
public final class OperationFilter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The error code of a removed field or type. */
  public static final String CODE = "UNAUTHORIZED_FIELD_OR_TYPE";

  /** The message of a removed field or type, as the reference routers word it. */
  public static final String MESSAGE = "Unauthorized field or type";

  /**
   * Marks a removed field in the selections the answer is shaped by; one instance, recognized by
   * identity, so no client-written directive can pass for it.
   */
  private static final Directive UNAUTHORIZED = new Directive("meshgate__unauthorized");

  /** A list position in an error's path: the field was removed for every element. */
  public static final String EVERY_ELEMENT = "@";

  private final Supergraph supergraph;
  private final AccessRules rules;
  private final Principal caller;
  private final PolicyDecision decision;
  private final Map<String, ObjectNode> errors = new LinkedHashMap<>();

  /**
   * What is left of an operation for one caller.
   *
   * @param selections the root selections the caller may read, to plan
   * @param shaped the root selections as sent, those removed marked ({@link #isDenied}), to shape
   *     the answer by
   * @param errors one error per removed field or fragment, in operation order
   * @param nothingLeft every root field was removed: the request has nothing to run
   */
  public record Filtered(
      List<Selection> selections,
      List<Selection> shaped,
      List<ObjectNode> errors,
      boolean nothingLeft) {}

  private OperationFilter(
      Supergraph supergraph, AccessRules rules, Principal caller, PolicyDecision decision) {
    this.supergraph = supergraph;
    this.rules = rules;
    this.caller = caller;
    this.decision = decision;
  }

  /** Filters the root {@code selections} of an operation on {@code rootType} for {@code caller}. */
  public static Filtered filter(
      Supergraph supergraph,
      AccessRules rules,
      String rootType,
      List<Selection> selections,
      Principal caller,
      PolicyDecision decision) {
    if (rules.isEmpty()) {
      return new Filtered(selections, selections, List.of(), false);
    }
    OperationFilter filter = new OperationFilter(supergraph, rules, caller, decision);
    Both both = filter.keep(rootType, selections, List.of());
    boolean nothingLeft = !selections.isEmpty() && !hasField(both.planned());
    return new Filtered(
        both.planned(), both.shaped(), List.copyOf(filter.errors.values()), nothingLeft);
  }

  private static boolean hasField(List<Selection> selections) {
    for (Selection selection : selections) {
      if (selection instanceof Selection.Field
          || (selection instanceof Selection.Fragment f && hasField(f.selections()))) {
        return true;
      }
    }
    return false;
  }

  /** The selections to plan (removed ones left out) and to shape by (removed ones marked). */
  private record Both(List<Selection> planned, List<Selection> shaped) {}

  private Both keep(String type, List<Selection> selections, List<Object> path) {
    List<Selection> planned = new ArrayList<>(selections.size());
    List<Selection> shaped = new ArrayList<>(selections.size());
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Field field -> {
          Selection.Field[] both = keep(type, field, path);
          if (both[0] != null) {
            planned.add(both[0]);
          }
          shaped.add(both[1]);
        }
        case Selection.Fragment fragment -> {
          String on = fragment.typeCondition() == null ? type : fragment.typeCondition();
          if (!rules.type(on).allows(caller, decision)) {
            deny(path);
            shaped.add(
                new Selection.Fragment(
                    fragment.typeCondition(),
                    fragment.directives(),
                    denied(fragment.selections())));
            continue;
          }
          Both inner = keep(on, fragment.selections(), path);
          if (!inner.planned().isEmpty()) {
            planned.add(
                inner.planned().equals(fragment.selections())
                    ? fragment
                    : new Selection.Fragment(
                        fragment.typeCondition(), fragment.directives(), inner.planned()));
          }
          shaped.add(
              inner.shaped().equals(fragment.selections())
                  ? fragment
                  : new Selection.Fragment(
                      fragment.typeCondition(), fragment.directives(), inner.shaped()));
        }
      }
    }
    return new Both(planned, shaped);
  }

  /** {@code [planned or null, shaped]} for one field. */
  private Selection.@Nullable Field[] keep(String type, Selection.Field field, List<Object> path) {
    if (field.name().startsWith("__")) {
      return new Selection.Field[] {field, field};
    }
    List<Object> at = new ArrayList<>(path);
    at.add(field.responseKey());
    if (!rules.field(type, field.name()).allows(caller, decision)) {
      deny(at);
      return new Selection.Field[] {null, denied(field)};
    }
    if (field.isLeaf()) {
      return new Selection.Field[] {field, field};
    }
    Optional<Supergraph.FieldInfo> info =
        supergraph.type(type).map(t -> t.fields().get(field.name()));
    if (info.isEmpty()) {
      return new Selection.Field[] {field, field};
    }
    for (Type<?> t = info.get().type(); !(t instanceof TypeName); ) {
      if (t instanceof ListType list) {
        at.add(EVERY_ELEMENT);
        t = list.getType();
      } else {
        t = ((NonNullType) t).getType();
      }
    }
    Both inner = keep(info.get().typeName(), field.selections(), at);
    if (inner.planned().equals(field.selections())) {
      return new Selection.Field[] {field, field};
    }
    List<Selection> planned = inner.planned();
    if (!hasField(planned)) {
      planned = List.of(new Selection.Field(null, "__typename", List.of(), List.of(), List.of()));
    }
    return new Selection.Field[] {
      new Selection.Field(
          field.alias(), field.name(), field.arguments(), field.directives(), planned),
      new Selection.Field(
          field.alias(), field.name(), field.arguments(), field.directives(), inner.shaped())
    };
  }

  /** The field, marked so that the answer has null for it whatever was fetched. */
  private static Selection.Field denied(Selection.Field field) {
    List<Directive> directives = new ArrayList<>(field.directives());
    directives.add(UNAUTHORIZED);
    return new Selection.Field(
        field.alias(), field.name(), field.arguments(), directives, field.selections());
  }

  private static List<Selection> denied(List<Selection> selections) {
    List<Selection> result = new ArrayList<>(selections.size());
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Field field ->
            result.add(field.name().equals("__typename") ? field : denied(field));
        case Selection.Fragment fragment ->
            result.add(
                new Selection.Fragment(
                    fragment.typeCondition(),
                    fragment.directives(),
                    denied(fragment.selections())));
      }
    }
    return result;
  }

  /** True when the shaper must answer null for this field: its caller may not read it. */
  public static boolean isDenied(Selection.Field field) {
    for (Directive directive : field.directives()) {
      if (directive == UNAUTHORIZED) {
        return true;
      }
    }
    return false;
  }

  private void deny(List<Object> path) {
    String key = path.toString();
    if (errors.containsKey(key)) {
      return;
    }
    ObjectNode error = NODES.objectNode();
    error.put("message", MESSAGE);
    ArrayNode array = error.putArray("path");
    for (Object step : path) {
      array.add(step.toString());
    }
    error.putObject("extensions").put("code", CODE);
    errors.put(key, error);
  }
}
