package io.meshgate.gateway.plan;

import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Directive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A mutable selection set that merges what the planner adds to one fetch: fields with the same
 * response key share one node, fragments with the same type condition and directives too.
 */
final class SelectionTree {

  private final Map<String, Object> entries = new LinkedHashMap<>();

  /**
   * The type each response key has in this selection set, fragments included (they share their
   * owner's map): GraphQL lets sibling fragments use one response key only for one type.
   */
  private final Map<String, String> keyTypes;

  SelectionTree() {
    this(new LinkedHashMap<>());
  }

  private SelectionTree(Map<String, String> keyTypes) {
    this.keyTypes = keyTypes;
  }

  /**
   * Records that {@code responseKey} has type {@code type} in this selection set; false when a
   * sibling fragment already uses the key with another type.
   */
  boolean claimKey(String responseKey, String type) {
    String existing = keyTypes.putIfAbsent(responseKey, type);
    return existing == null || existing.equals(type);
  }

  /** A field entry. */
  static final class FieldEntry {
    final @Nullable String alias;
    final String name;
    final List<Argument> arguments;
    final List<Directive> directives;
    @Nullable SelectionTree selections;

    FieldEntry(Selection.Field field) {
      this.alias = field.alias();
      this.name = field.name();
      this.arguments = field.arguments();
      this.directives = field.directives();
    }
  }

  /** A fragment entry. */
  static final class FragmentEntry {
    final @Nullable String typeCondition;
    final List<Directive> directives;
    final SelectionTree selections;

    FragmentEntry(
        @Nullable String typeCondition, List<Directive> directives, SelectionTree selections) {
      this.typeCondition = typeCondition;
      this.directives = directives;
      this.selections = selections;
    }
  }

  /** The entry for {@code field}, created if absent; composite fields get a child tree. */
  FieldEntry field(Selection.Field field) {
    String key =
        field.responseKey()
            + (field.directives().isEmpty() ? "" : "@" + directivesKey(field.directives()));
    FieldEntry entry = (FieldEntry) entries.computeIfAbsent("f:" + key, k -> new FieldEntry(field));
    if (!field.isLeaf() && entry.selections == null) {
      entry.selections = new SelectionTree();
    }
    return entry;
  }

  /** Whether {@code field}'s response key is taken by a different field (name or arguments). */
  boolean conflicts(Selection.Field field) {
    String key =
        field.responseKey()
            + (field.directives().isEmpty() ? "" : "@" + directivesKey(field.directives()));
    if (!(entries.get("f:" + key) instanceof FieldEntry existing)) {
      return false;
    }
    return !existing.name.equals(field.name())
        || !AstPrinter.printAstCompact(
                graphql.language.Field.newField("f").arguments(existing.arguments).build())
            .equals(
                AstPrinter.printAstCompact(
                    graphql.language.Field.newField("f").arguments(field.arguments()).build()));
  }

  /**
   * Whether adding {@code selections} would need one field name with two different argument lists
   * at the same place: a representation holds each field once, under its name.
   */
  boolean conflictsByName(List<Selection> selections) {
    for (Selection selection : selections) {
      if (!(selection instanceof Selection.Field field)) {
        continue;
      }
      for (Object entry : entries.values()) {
        if (entry instanceof FieldEntry existing && existing.name.equals(field.name())) {
          if (!printArguments(existing.arguments).equals(printArguments(field.arguments()))) {
            return true;
          }
          if (existing.selections != null
              && existing.selections.conflictsByName(field.selections())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String printArguments(List<Argument> arguments) {
    return arguments.isEmpty()
        ? ""
        : AstPrinter.printAstCompact(
            graphql.language.Field.newField("f").arguments(arguments).build());
  }

  /** Adds a leaf field by name. */
  void leaf(String name) {
    field(new Selection.Field(null, name, List.of(), List.of(), List.of()));
  }

  /** The subtree of an inline fragment, created if absent. */
  SelectionTree fragment(@Nullable String typeCondition, List<Directive> directives) {
    String key = "t:" + typeCondition + "@" + directivesKey(directives);
    return ((FragmentEntry)
            entries.computeIfAbsent(
                key,
                k -> new FragmentEntry(typeCondition, directives, new SelectionTree(keyTypes))))
        .selections;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * The tree as selections; composite selections start with {@code __typename} so the executor can
   * route entities and resolve abstract types.
   */
  List<Selection> toSelections(boolean withTypename) {
    List<Selection> result = new ArrayList<>();
    boolean hasTypename = entries.containsKey("f:__typename");
    if (withTypename && !hasTypename) {
      result.add(new Selection.Field(null, "__typename", List.of(), List.of(), List.of()));
    }
    for (Object entry : entries.values()) {
      if (entry instanceof FieldEntry field) {
        List<Selection> children =
            field.selections == null ? List.of() : field.selections.toSelections(true);
        result.add(
            new Selection.Field(
                field.alias, field.name, field.arguments, field.directives, children));
      } else {
        FragmentEntry fragment = (FragmentEntry) entry;
        if (!fragment.selections.isEmpty()) {
          result.add(
              new Selection.Fragment(
                  fragment.typeCondition,
                  fragment.directives,
                  fragment.selections.toSelections(false)));
        }
      }
    }
    return result;
  }

  private static String directivesKey(List<Directive> directives) {
    StringBuilder key = new StringBuilder();
    for (Directive directive : directives) {
      key.append(AstPrinter.printAstCompact(directive));
    }
    return key.toString();
  }
}
