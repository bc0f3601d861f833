package io.meshgate.gateway.compose;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.BooleanValue;
import graphql.language.Description;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.InterfaceTypeExtensionDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.OperationTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.SchemaExtensionDefinition;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.Value;
import io.meshgate.gateway.auth.Requirement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Composes Federation subgraph schemas into a supergraph SDL in the standard join-spec form (join
 * v0.5). Follows Federation v2's rules: a field resolved by several subgraphs must be
 * {@code @shareable} in each (key fields and overridden fields excepted), field types must agree,
 * keys must name existing fields. Federation 1 subgraphs compose too, with their fields treated as
 * shareable. Access control ({@code @authenticated}, {@code @requiresScopes}, {@code @policy}) on
 * fields and types is carried into the supergraph, every subgraph's requirement of a field or type
 * combined so that all of them hold.
 */
public final class Composer {

  private static final Set<String> BUILT_IN_SCALARS =
      Set.of("String", "Int", "Float", "Boolean", "ID");
  private static final Set<String> FEDERATION_TYPES =
      Set.of(
          "_Service",
          "_Any",
          "_Entity",
          "_FieldSet",
          "FieldSet",
          "link__Import",
          "link__Purpose",
          "federation__FieldSet",
          "federation__Scope",
          "federation__Policy",
          "federation__ContextFieldValue",
          "federation__Cost",
          "federation__ListSize");

  /**
   * The {@code field} of {@code @fromContext}: {@code $context} and the selection on the context's
   * type.
   */
  private static final Pattern CONTEXT_FIELD =
      Pattern.compile("\\s*\\$([_A-Za-z][_0-9A-Za-z]*)(.*)", Pattern.DOTALL);

  private Composer() {}

  /** A subgraph's fields of one type, with their federation flags. */
  private static final class FieldInGraph {
    final FieldDefinition definition;
    boolean external;
    @Nullable String requires;
    @Nullable String provides;
    @Nullable String override;

    /** Progressive override: the label under which {@link #override} applies. */
    @Nullable String overrideLabel;

    /**
     * {@code @cost(weight:)} and {@code @listSize(...)} (cost spec), carried into the supergraph.
     */
    @Nullable Integer cost;

    @Nullable Directive listSize;
    boolean shareable;
    boolean inaccessible;

    /** Arguments the subgraph takes from an ancestor's context ({@code @fromContext}). */
    final List<ContextArgument> contextArguments = new ArrayList<>();

    /** {@code @authenticated}, {@code @requiresScopes} and {@code @policy} on the field. */
    final Access access = new Access();

    FieldInGraph(FieldDefinition definition) {
      this.definition = definition;
    }
  }

  private record Key(String fields, boolean resolvable) {}

  /**
   * An argument {@code name: type @fromContext(field: "$context selection")}, with the context
   * named as in the supergraph ({@code <subgraph>__<context>}).
   */
  private record ContextArgument(String context, String name, String type, String selection) {}

  /** A subgraph's view of one type. */
  private static final class TypeInGraph {
    final List<Key> keys = new ArrayList<>();
    boolean extension;
    boolean interfaceObject;
    boolean shareable;

    /** Contexts the type sets ({@code @context(name:)}), named as in the supergraph. */
    final Set<String> contexts = new LinkedHashSet<>();

    /** {@code @authenticated}, {@code @requiresScopes} and {@code @policy} on the type. */
    final Access access = new Access();

    final Map<String, FieldInGraph> fields = new LinkedHashMap<>();
    final Set<String> interfaces = new LinkedHashSet<>();
    final Set<String> members = new LinkedHashSet<>();
    final Set<String> enumValues = new LinkedHashSet<>();
    final Map<String, InputValueDefinition> inputFields = new LinkedHashMap<>();
  }

  /**
   * The access control a subgraph declares on a type or field: {@code @authenticated}, and each
   * {@code @requiresScopes(scopes:)} / {@code @policy(policies:)} as alternatives (outer list OR,
   * inner list AND).
   */
  private static final class Access {
    boolean authenticated;
    final List<List<List<String>>> scopes = new ArrayList<>();
    final List<List<List<String>>> policies = new ArrayList<>();

    boolean isEmpty() {
      return !authenticated && scopes.isEmpty() && policies.isEmpty();
    }
  }

  /**
   * Access control of a type or field in the supergraph, every subgraph's requirements combined.
   *
   * @param scopes the merged {@code @requiresScopes(scopes:)}, or null when no subgraph requires
   *     scopes
   * @param policies the merged {@code @policy(policies:)}, or null when no subgraph names a policy
   */
  private record MergedAccess(
      boolean authenticated,
      @Nullable List<List<String>> scopes,
      @Nullable List<List<String>> policies) {

    static final MergedAccess NONE = new MergedAccess(false, null, null);
  }

  /** One type across subgraphs. */
  private static final class MergedType {
    final String name;
    final String kind;
    @Nullable Description description;
    boolean inaccessible;
    final Set<String> tags = new LinkedHashSet<>();
    final Map<String, TypeInGraph> graphs = new LinkedHashMap<>();
    final Map<String, List<Directive>> enumValueDirectives = new LinkedHashMap<>();
    final Set<String> inaccessibleMembers = new LinkedHashSet<>();

    /** The highest {@code @cost(weight:)} a subgraph gives the type. */
    @Nullable Integer cost;

    /** The type's access control, merged over subgraphs. */
    MergedAccess access = MergedAccess.NONE;

    /** Each field's access control, merged over the subgraphs that resolve it. */
    final Map<String, MergedAccess> fieldAccess = new LinkedHashMap<>();

    /** For enums: used only in input positions (arguments, input fields) in every subgraph. */
    boolean inputOnly;

    /**
     * Fields an @interfaceObject subgraph adds to this implementation: field to (graph,
     * definition).
     */
    final Map<String, Map.Entry<String, FieldInGraph>> interfaceObjectFields =
        new LinkedHashMap<>();

    MergedType(String name, String kind) {
      this.name = name;
      this.kind = kind;
    }
  }

  /**
   * Composes the subgraphs.
   *
   * @return the supergraph SDL
   * @throws CompositionException listing every problem
   */
  public static String compose(List<SubgraphSchema> subgraphs) {
    if (subgraphs.isEmpty()) {
      throw new CompositionException("no subgraph to compose");
    }
    List<String> errors = new ArrayList<>();
    Map<String, MergedType> types = new LinkedHashMap<>();
    Map<String, String> enumNames = graphEnumNames(subgraphs);
    for (SubgraphSchema subgraph : subgraphs) {
      collect(subgraph, types, errors);
    }
    addInterfaceObjectFields(types);
    classifyEnums(types, errors);
    validate(types, errors);
    mergeAccess(types, errors);
    if (errors.isEmpty()) {
      validateReachability(types, errors);
    }
    if (!errors.isEmpty()) {
      throw new CompositionException(errors);
    }
    return print(subgraphs, types, enumNames);
  }

  private static Map<String, String> graphEnumNames(List<SubgraphSchema> subgraphs) {
    Map<String, String> names = new LinkedHashMap<>();
    Set<String> used = new LinkedHashSet<>();
    for (SubgraphSchema subgraph : subgraphs) {
      String base = subgraph.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
      if (base.isEmpty() || Character.isDigit(base.charAt(0))) {
        base = "_" + base;
      }
      String candidate = base;
      for (int i = 1; !used.add(candidate); i++) {
        candidate = base + "_" + i;
      }
      names.put(subgraph.name(), candidate);
    }
    return names;
  }

  private static void collect(
      SubgraphSchema subgraph, Map<String, MergedType> types, List<String> errors) {
    Map<String, String> rootNames = rootTypeNames(subgraph);
    Set<String> keySelected = keySelectedFields(subgraph);
    for (var definition : subgraph.document().getDefinitions()) {
      if (!(definition instanceof TypeDefinition<?> type)) {
        continue;
      }
      String name = rootNames.getOrDefault(type.getName(), type.getName());
      if (FEDERATION_TYPES.contains(name) || name.contains("__")) {
        continue;
      }
      // An @interfaceObject is the subgraph's view of an interface declared elsewhere.
      String kind =
          type instanceof ObjectTypeDefinition
                  && hasDirective(type, subgraph.directive("interfaceObject"))
              ? "interface"
              : kindOf(type);
      MergedType merged = types.computeIfAbsent(name, n -> new MergedType(n, kind));
      if (!merged.kind.equals(kind)) {
        errors.add(
            "["
                + subgraph.name()
                + "] type "
                + name
                + " is "
                + article(kind)
                + " here but "
                + article(merged.kind)
                + " in another subgraph");
        continue;
      }
      if (merged.description == null
          && type instanceof graphql.language.AbstractDescribedNode<?> described
          && described.getDescription() != null) {
        merged.description = described.getDescription();
      }
      TypeInGraph inGraph = merged.graphs.computeIfAbsent(subgraph.name(), g -> new TypeInGraph());
      boolean isExtension =
          type instanceof ObjectTypeExtensionDefinition
              || type instanceof InterfaceTypeExtensionDefinition
              || hasDirective(type, subgraph.directive("extends"));
      inGraph.extension |= isExtension;
      DirectivesContainer<?> container = (DirectivesContainer<?>) type;
      for (Directive key : container.getDirectives(subgraph.directive("key"))) {
        String fields = stringArg(key, "fields");
        if (fields == null) {
          errors.add("[" + subgraph.name() + "] @key on " + name + " has no fields argument");
          continue;
        }
        inGraph.keys.add(new Key(fields, boolArg(key, "resolvable", true)));
      }
      inGraph.shareable |=
          hasDirective(type, subgraph.directive("shareable")) || !subgraph.federation2();
      inGraph.interfaceObject |= hasDirective(type, subgraph.directive("interfaceObject"));
      merged.inaccessible |= hasDirective(type, subgraph.directive("inaccessible"));
      Integer typeCost = costWeight(container.getDirectives(subgraph.directive("cost")));
      if (typeCost != null && (merged.cost == null || typeCost > merged.cost)) {
        merged.cost = typeCost;
      }
      for (Directive context : container.getDirectives(subgraph.directive("context"))) {
        String contextName = stringArg(context, "name");
        if (contextName != null) {
          // Context names are the subgraph's own: two subgraphs may use one name for two things.
          inGraph.contexts.add(subgraph.name() + "__" + contextName);
        }
      }
      for (Directive tag : container.getDirectives(subgraph.directive("tag"))) {
        String tagName = stringArg(tag, "name");
        if (tagName != null) {
          merged.tags.add(tagName);
        }
      }
      Access typeAccess = readAccess(container, subgraph, "type " + name, errors);
      if (!typeAccess.isEmpty() && (kind.equals("union") || kind.equals("input"))) {
        errors.add(
            "["
                + subgraph.name()
                + "] "
                + (kind.equals("union") ? "union " : "input type ")
                + name
                + " cannot take @authenticated, @requiresScopes or @policy: they apply to"
                + " fields, object types, interfaces, scalars and enums");
      } else {
        addAccess(inGraph.access, typeAccess);
      }
      if (type instanceof ImplementingTypeDefinition<?> implementing) {
        implementing.getImplements().forEach(t -> inGraph.interfaces.add(((TypeName) t).getName()));
        for (FieldDefinition field : implementing.getFieldDefinitions()) {
          if (rootNames.containsValue(name)
              && (field.getName().equals("_service") || field.getName().equals("_entities"))) {
            continue;
          }
          FieldInGraph f = new FieldInGraph(field);
          f.external =
              hasDirective(field, subgraph.directive("external"))
                  || hasDirective(type, subgraph.directive("external"));
          if (f.external && isExtension && isKeyField(inGraph, field.getName())) {
            // The key of a type extension is the subgraph's own: its @external is the old
            // extension syntax, and the subgraph resolves the field.
            f.external = false;
          }
          f.requires = directiveString(field, subgraph.directive("requires"), "fields");
          f.provides = directiveString(field, subgraph.directive("provides"), "fields");
          f.override = directiveString(field, subgraph.directive("override"), "from");
          f.overrideLabel = directiveString(field, subgraph.directive("override"), "label");
          f.shareable =
              hasDirective(field, subgraph.directive("shareable"))
                  || inGraph.shareable
                  || keySelected.contains(name + "." + field.getName());
          f.inaccessible = hasDirective(field, subgraph.directive("inaccessible"));
          f.cost = costWeight(field.getDirectives(subgraph.directive("cost")));
          f.listSize =
              field.getDirectives(subgraph.directive("listSize")).stream().findFirst().orElse(null);
          addAccess(f.access, readAccess(field, subgraph, name + "." + field.getName(), errors));
          for (InputValueDefinition argument : field.getInputValueDefinitions()) {
            for (Directive fromContext :
                argument.getDirectives(subgraph.directive("fromContext"))) {
              String value = stringArg(fromContext, "field");
              Matcher matcher = value == null ? null : CONTEXT_FIELD.matcher(value);
              if (matcher == null || !matcher.matches() || matcher.group(2).isBlank()) {
                errors.add(
                    "["
                        + subgraph.name()
                        + "] @fromContext on "
                        + name
                        + "."
                        + field.getName()
                        + "("
                        + argument.getName()
                        + ":) needs field: \"$context { selection }\", got "
                        + value);
                continue;
              }
              f.contextArguments.add(
                  new ContextArgument(
                      subgraph.name() + "__" + matcher.group(1),
                      argument.getName(),
                      AstPrinter.printAstCompact(argument.getType()),
                      matcher.group(2)));
            }
          }
          if (!subgraph.federation2() && isExtension && !f.external) {
            f.shareable = true;
          }
          inGraph.fields.put(field.getName(), f);
        }
      }
      if (type instanceof UnionTypeDefinition union) {
        union.getMemberTypes().forEach(t -> inGraph.members.add(((TypeName) t).getName()));
      }
      if (type instanceof EnumTypeDefinition enumType) {
        for (EnumValueDefinition value : enumType.getEnumValueDefinitions()) {
          inGraph.enumValues.add(value.getName());
          if (hasDirective(value, subgraph.directive("inaccessible"))) {
            merged.inaccessibleMembers.add(value.getName());
          }
          merged.enumValueDirectives.computeIfAbsent(
              value.getName(), v -> value.getDirectives("deprecated"));
        }
      }
      if (type instanceof InputObjectTypeDefinition input) {
        for (InputValueDefinition field : input.getInputValueDefinitions()) {
          inGraph.inputFields.put(field.getName(), field);
          if (hasDirective(field, subgraph.directive("inaccessible"))) {
            merged.inaccessibleMembers.add(field.getName());
          }
        }
      }
    }
  }

  /**
   * Every field a {@code @key} of the subgraph selects, nested ones included, as {@code
   * Type.field}: Federation 2 takes them as shareable, since each subgraph with the key resolves
   * them.
   */
  private static Set<String> keySelectedFields(SubgraphSchema subgraph) {
    Map<String, Map<String, FieldDefinition>> fieldsByType = new LinkedHashMap<>();
    for (var definition : subgraph.document().getDefinitions()) {
      if (definition instanceof ImplementingTypeDefinition<?> type) {
        Map<String, FieldDefinition> fields =
            fieldsByType.computeIfAbsent(type.getName(), t -> new LinkedHashMap<>());
        type.getFieldDefinitions().forEach(f -> fields.put(f.getName(), f));
      }
    }
    Set<String> selected = new LinkedHashSet<>();
    for (var definition : subgraph.document().getDefinitions()) {
      if (!(definition instanceof ImplementingTypeDefinition<?> type)) {
        continue;
      }
      for (Directive key : type.getDirectives(subgraph.directive("key"))) {
        String fields = stringArg(key, "fields");
        if (fields == null) {
          continue;
        }
        try {
          var document = graphql.parser.Parser.parse("{" + fields + "}");
          var operation = (graphql.language.OperationDefinition) document.getDefinitions().get(0);
          markSelected(type.getName(), operation.getSelectionSet(), fieldsByType, selected);
        } catch (graphql.parser.InvalidSyntaxException e) {
          // validate() reports the key's fields
        }
      }
    }
    return selected;
  }

  private static void markSelected(
      String typeName,
      graphql.language.SelectionSet set,
      Map<String, Map<String, FieldDefinition>> fieldsByType,
      Set<String> selected) {
    for (graphql.language.Selection<?> selection : set.getSelections()) {
      if (selection instanceof graphql.language.Field field) {
        selected.add(typeName + "." + field.getName());
        FieldDefinition definition =
            fieldsByType.getOrDefault(typeName, Map.of()).get(field.getName());
        if (definition != null && field.getSelectionSet() != null) {
          markSelected(
              unwrap(definition.getType()), field.getSelectionSet(), fieldsByType, selected);
        }
      } else if (selection instanceof graphql.language.InlineFragment fragment
          && fragment.getTypeCondition() != null) {
        markSelected(
            fragment.getTypeCondition().getName(),
            fragment.getSelectionSet(),
            fieldsByType,
            selected);
      }
    }
  }

  /**
   * Fields that a subgraph adds to an interface through @interfaceObject exist on every
   * implementation too (the API schema needs them there); they resolve in that subgraph.
   */
  private static void addInterfaceObjectFields(Map<String, MergedType> types) {
    for (MergedType iface : types.values()) {
      if (!iface.kind.equals("interface")) {
        continue;
      }
      for (Map.Entry<String, TypeInGraph> graph : iface.graphs.entrySet()) {
        if (!graph.getValue().interfaceObject) {
          continue;
        }
        for (MergedType implementation : types.values()) {
          if (!implementation.kind.equals("type")
              || implementation.graphs.values().stream()
                  .noneMatch(g -> g.interfaces.contains(iface.name))) {
            continue;
          }
          Set<String> existing = fieldNames(implementation);
          for (FieldInGraph field : graph.getValue().fields.values()) {
            String name = field.definition.getName();
            if (!existing.contains(name)) {
              implementation.interfaceObjectFields.put(name, Map.entry(graph.getKey(), field));
            }
          }
        }
      }
    }
  }

  /**
   * Federation's rule for enums whose values differ between subgraphs: an input-only enum keeps the
   * values every subgraph accepts, an output-only enum all values; an enum used both ways must have
   * the same values everywhere.
   */
  private static void classifyEnums(Map<String, MergedType> types, List<String> errors) {
    Set<String> inputUse = new LinkedHashSet<>();
    Set<String> outputUse = new LinkedHashSet<>();
    for (MergedType type : types.values()) {
      for (TypeInGraph graph : type.graphs.values()) {
        for (FieldInGraph field : graph.fields.values()) {
          outputUse.add(unwrap(field.definition.getType()));
          field
              .definition
              .getInputValueDefinitions()
              .forEach(a -> inputUse.add(unwrap(a.getType())));
        }
        graph.inputFields.values().forEach(f -> inputUse.add(unwrap(f.getType())));
      }
    }
    for (MergedType type : types.values()) {
      if (!type.kind.equals("enum")) {
        continue;
      }
      boolean input = inputUse.contains(type.name);
      boolean output = outputUse.contains(type.name);
      type.inputOnly = input && !output;
      if (input && output) {
        // An @inaccessible value is hidden from clients, so it may exist in one subgraph only.
        Set<String> first = null;
        for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
          Set<String> visible = new LinkedHashSet<>(graph.getValue().enumValues);
          visible.removeAll(type.inaccessibleMembers);
          if (first == null) {
            first = visible;
          } else if (!first.equals(visible)) {
            errors.add(
                "enum "
                    + type.name
                    + " is used as both input and output, so its values must be the same in "
                    + "every subgraph; ["
                    + graph.getKey()
                    + "] has "
                    + visible
                    + ", another subgraph "
                    + first);
            break;
          }
        }
      }
    }
  }

  private static Map<String, String> rootTypeNames(SubgraphSchema subgraph) {
    Map<String, String> names = new LinkedHashMap<>();
    for (var definition : subgraph.document().getDefinitions()) {
      List<OperationTypeDefinition> operations =
          switch (definition) {
            case SchemaExtensionDefinition extension -> extension.getOperationTypeDefinitions();
            case SchemaDefinition schema -> schema.getOperationTypeDefinitions();
            default -> List.of();
          };
      for (OperationTypeDefinition operation : operations) {
        String standard =
            switch (operation.getName()) {
              case "query" -> "Query";
              case "mutation" -> "Mutation";
              default -> "Subscription";
            };
        names.put(operation.getTypeName().getName(), standard);
      }
    }
    return names;
  }

  private static void validate(Map<String, MergedType> types, List<String> errors) {
    for (MergedType type : types.values()) {
      if (!type.kind.equals("type") && !type.kind.equals("interface")) {
        continue;
      }
      for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
        for (Key key : graph.getValue().keys) {
          for (String field : topLevelFields(key.fields())) {
            if (!graph.getValue().fields.containsKey(field)) {
              errors.add(
                  "["
                      + graph.getKey()
                      + "] @key(fields: \""
                      + key.fields()
                      + "\") on "
                      + type.name
                      + " names field "
                      + field
                      + ", which "
                      + type.name
                      + " does not have in that subgraph");
            }
          }
        }
        for (FieldInGraph field : graph.getValue().fields.values()) {
          for (ContextArgument argument : field.contextArguments) {
            boolean set =
                types.values().stream()
                    .anyMatch(
                        t ->
                            t.graphs.values().stream()
                                .anyMatch(g -> g.contexts.contains(argument.context())));
            if (!set) {
              errors.add(
                  "["
                      + graph.getKey()
                      + "] @fromContext on "
                      + type.name
                      + "."
                      + field.definition.getName()
                      + "("
                      + argument.name()
                      + ":) names context "
                      + argument.context().substring(argument.context().indexOf("__") + 2)
                      + ", which no type of that subgraph sets with @context (Federation takes a"
                      + " context only from the same subgraph)");
            }
          }
          if (field.requires != null) {
            for (String required : topLevelFields(field.requires)) {
              if (!graph.getValue().fields.containsKey(required)) {
                errors.add(
                    "["
                        + graph.getKey()
                        + "] @requires(fields: \""
                        + field.requires
                        + "\") on "
                        + type.name
                        + "."
                        + field.definition.getName()
                        + " names field "
                        + required
                        + ", which must be declared (as @external) in that subgraph");
              }
            }
          }
        }
      }
      if (!type.kind.equals("type")) {
        continue;
      }
      for (String fieldName : fieldNames(type)) {
        List<String> resolving = new ArrayList<>();
        List<String> nonShareable = new ArrayList<>();
        String namedType = null;
        for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
          FieldInGraph field = graph.getValue().fields.get(fieldName);
          if (field == null) {
            continue;
          }
          String fieldType = unwrap(field.definition.getType());
          if (namedType == null) {
            namedType = fieldType;
          } else if (isSubtype(types, fieldType, namedType)) {
            // A narrower type in this subgraph (a member of the union, an implementation).
          } else if (isSubtype(types, namedType, fieldType)) {
            namedType = fieldType;
          } else if (!namedType.equals(fieldType)) {
            errors.add(
                "type "
                    + type.name
                    + " field "
                    + fieldName
                    + " has conflicting types: "
                    + namedType
                    + " in one subgraph and "
                    + fieldType
                    + " in ["
                    + graph.getKey()
                    + "]");
          }
          if (field.external || overriddenBy(type, fieldName, graph.getKey()) != null) {
            continue;
          }
          resolving.add(graph.getKey());
          if (!field.shareable && !isKeyField(graph.getValue(), fieldName)) {
            nonShareable.add(graph.getKey());
          }
        }
        if (resolving.size() > 1 && !nonShareable.isEmpty()) {
          errors.add(
              "Non-shareable field \""
                  + type.name
                  + "."
                  + fieldName
                  + "\" is resolved from multiple subgraphs: "
                  + "it is resolved from subgraphs "
                  + quoted(resolving)
                  + " and defined as non-shareable in "
                  + (nonShareable.size() == resolving.size()
                      ? "all of them"
                      : "subgraph(s) " + quoted(nonShareable))
                  + " (mark it @shareable in each, or @override it)");
        }
      }
    }
  }

  /**
   * Every field of an entity must be reachable from each subgraph that returns the entity: some
   * subgraph resolving the field has a resolvable key whose fields the other subgraph can give.
   */
  private static void validateReachability(Map<String, MergedType> types, List<String> errors) {
    Map<String, Set<String>> fromRoots = typesReachableFromRoots(types);
    for (MergedType type : types.values()) {
      if (!type.kind.equals("type")
          || type.graphs.values().stream().allMatch(g -> g.keys.isEmpty())) {
        continue;
      }
      for (String fieldName : fieldNames(type)) {
        List<String> resolving = new ArrayList<>();
        for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
          FieldInGraph field = graph.getValue().fields.get(fieldName);
          if (field != null
              && !field.external
              && overriddenBy(type, fieldName, graph.getKey()) == null) {
            resolving.add(graph.getKey());
          }
        }
        if (resolving.isEmpty()
            || resolving.stream().anyMatch(g -> type.graphs.get(g).keys.isEmpty())) {
          // A value type where it is resolved is reached through its parents, not by a key of its
          // own; the planner re-enters there from the nearest entity or root above.
          continue;
        }
        for (Map.Entry<String, TypeInGraph> from : type.graphs.entrySet()) {
          // Only a subgraph whose own root fields lead to the type can be where a query stands on
          // it.
          if (resolving.contains(from.getKey())
              || !fromRoots.getOrDefault(from.getKey(), Set.of()).contains(type.name)) {
            continue;
          }
          Set<String> reachableGraphs = reachableThroughKeys(type, from.getKey());
          boolean reachable = resolving.stream().anyMatch(reachableGraphs::contains);
          if (!reachable) {
            errors.add(
                "["
                    + from.getKey()
                    + "] cannot satisfy "
                    + type.name
                    + "."
                    + fieldName
                    + ": it is resolved only by "
                    + quoted(resolving)
                    + ", and no resolvable @key of "
                    + type.name
                    + " there can be fetched from "
                    + from.getKey());
          }
        }
      }
    }
  }

  /** Whether {@code type} is a member of the union, or implements the interface, {@code other}. */
  private static boolean isSubtype(Map<String, MergedType> types, String type, String other) {
    MergedType abstractType = types.get(other);
    if (abstractType == null || type.equals(other)) {
      return false;
    }
    for (Map.Entry<String, TypeInGraph> graph : abstractType.graphs.entrySet()) {
      if (graph.getValue().members.contains(type)) {
        return true;
      }
    }
    MergedType candidate = types.get(type);
    if (candidate != null && abstractType.kind.equals("interface")) {
      return candidate.graphs.values().stream().anyMatch(g -> g.interfaces.contains(other));
    }
    return false;
  }

  // ---- access control (@authenticated, @requiresScopes, @policy) ------------------------------

  /** The access control directives on a type or field of one subgraph, under their local names. */
  private static Access readAccess(
      DirectivesContainer<?> node, SubgraphSchema subgraph, String where, List<String> errors) {
    Access access = new Access();
    access.authenticated = node.hasDirective(subgraph.directive("authenticated"));
    for (Directive directive : node.getDirectives(subgraph.directive("requiresScopes"))) {
      List<List<String>> scopes =
          alternatives(directive, "requiresScopes", "scopes", subgraph, where, errors);
      if (scopes != null) {
        access.scopes.add(scopes);
      }
    }
    for (Directive directive : node.getDirectives(subgraph.directive("policy"))) {
      List<List<String>> policies =
          alternatives(directive, "policy", "policies", subgraph, where, errors);
      if (policies != null) {
        access.policies.add(policies);
      }
    }
    return access;
  }

  private static void addAccess(Access into, Access from) {
    into.authenticated |= from.authenticated;
    into.scopes.addAll(from.scopes);
    into.policies.addAll(from.policies);
  }

  /**
   * The argument of {@code @requiresScopes} or {@code @policy} as a list of alternatives, each a
   * list of strings, after GraphQL's input coercion: {@code "a"} is {@code [["a"]]} and {@code
   * ["a", "b"]} is {@code [["a"], ["b"]]}.
   */
  private static @Nullable List<List<String>> alternatives(
      Directive directive,
      String directiveName,
      String argumentName,
      SubgraphSchema subgraph,
      String where,
      List<String> errors) {
    String at = "[" + subgraph.name() + "] @" + directiveName + " on " + where;
    Argument argument = directive.getArgument(argumentName);
    if (argument == null) {
      errors.add(at + " needs " + argumentName + ":");
      return null;
    }
    Value<?> value = argument.getValue();
    List<?> outer = value instanceof ArrayValue list ? list.getValues() : List.of(value);
    List<List<String>> alternatives = new ArrayList<>();
    for (Object alternative : outer) {
      List<?> inner =
          alternative instanceof ArrayValue list ? list.getValues() : List.of(alternative);
      if (!inner.stream().allMatch(StringValue.class::isInstance)) {
        errors.add(
            at
                + " takes "
                + argumentName
                + ": as a list of lists of strings, got "
                + AstPrinter.printAstCompact(value));
        return null;
      }
      alternatives.add(inner.stream().map(v -> ((StringValue) v).getValue()).toList());
    }
    return List.copyOf(alternatives);
  }

  /**
   * Merges each type's and field's access control over the subgraphs: authenticated if any subgraph
   * says so; scopes and policies of several subgraphs all required (AND). A field's requirements
   * come from the subgraphs that resolve it, not from {@code @external} copies.
   */
  private static void mergeAccess(Map<String, MergedType> types, List<String> errors) {
    for (MergedType type : types.values()) {
      List<Map.Entry<String, Access>> typeAccess = new ArrayList<>();
      type.graphs.forEach((graph, inGraph) -> typeAccess.add(Map.entry(graph, inGraph.access)));
      type.access = merge(typeAccess, "type " + type.name, errors);
      if (!type.kind.equals("type") && !type.kind.equals("interface")) {
        continue;
      }
      for (String fieldName : fieldNames(type)) {
        List<Map.Entry<String, Access>> declared = new ArrayList<>();
        List<Map.Entry<String, Access>> external = new ArrayList<>();
        for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
          FieldInGraph field = graph.getValue().fields.get(fieldName);
          if (field != null) {
            (field.external ? external : declared).add(Map.entry(graph.getKey(), field.access));
          }
        }
        Map.Entry<String, FieldInGraph> viaInterfaceObject =
            type.interfaceObjectFields.get(fieldName);
        if (viaInterfaceObject != null) {
          declared.add(
              Map.entry(viaInterfaceObject.getKey(), viaInterfaceObject.getValue().access));
        }
        MergedAccess access =
            merge(declared.isEmpty() ? external : declared, type.name + "." + fieldName, errors);
        if (!access.equals(MergedAccess.NONE)) {
          type.fieldAccess.put(fieldName, access);
        }
      }
    }
  }

  private static MergedAccess merge(
      List<Map.Entry<String, Access>> declared, String where, List<String> errors) {
    boolean authenticated = false;
    List<Map.Entry<String, List<List<String>>>> scopes = new ArrayList<>();
    List<Map.Entry<String, List<List<String>>>> policies = new ArrayList<>();
    for (Map.Entry<String, Access> access : declared) {
      authenticated |= access.getValue().authenticated;
      access.getValue().scopes.forEach(s -> scopes.add(Map.entry(access.getKey(), s)));
      access.getValue().policies.forEach(p -> policies.add(Map.entry(access.getKey(), p)));
    }
    if (!authenticated && scopes.isEmpty() && policies.isEmpty()) {
      return MergedAccess.NONE;
    }
    return new MergedAccess(
        authenticated,
        conjunction(scopes, "@requiresScopes", where, errors),
        conjunction(policies, "@policy", where, errors));
  }

  /**
   * All of several requirements in disjunctive form (outer list OR, inner list AND): the cartesian
   * product of their alternatives, each alternative the union of the combined ones. Requirements
   * the same in several subgraphs count once; a single requirement stays as written. Duplicate
   * alternatives and those that ask more than another one (a superset of it) are dropped, the rest
   * keep their first-seen order.
   *
   * @param requirements the subgraph and the alternatives it requires, for each declaration
   * @return null when there is no requirement
   */
  private static @Nullable List<List<String>> conjunction(
      List<Map.Entry<String, List<List<String>>>> requirements,
      String directive,
      String where,
      List<String> errors) {
    if (requirements.isEmpty()) {
      return null;
    }
    Set<Set<Set<String>>> seen = new LinkedHashSet<>();
    List<List<List<String>>> distinct = new ArrayList<>();
    Set<String> graphs = new LinkedHashSet<>();
    for (Map.Entry<String, List<List<String>>> requirement : requirements) {
      graphs.add(requirement.getKey());
      Set<Set<String>> asSets = new LinkedHashSet<>();
      requirement.getValue().forEach(alternative -> asSets.add(Set.copyOf(alternative)));
      if (seen.add(asSets)) {
        distinct.add(requirement.getValue());
      }
    }
    if (distinct.size() == 1) {
      return distinct.get(0);
    }
    // No alternative at all ([]) is taken as no requirement, as Apollo's composition does.
    List<Set<String>> result = List.of(Set.of());
    for (List<List<String>> requirement : distinct) {
      if (requirement.isEmpty()) {
        continue;
      }
      Set<Set<String>> product = new LinkedHashSet<>();
      for (Set<String> left : result) {
        for (List<String> right : requirement) {
          Set<String> both = new LinkedHashSet<>(left);
          both.addAll(right);
          product.add(both);
          if (product.size() > Requirement.MAX_ALTERNATIVES) {
            errors.add(
                directive
                    + " on "
                    + where
                    + ": the requirements of subgraphs "
                    + quoted(List.copyOf(graphs))
                    + " must all hold, and combining them gives more than "
                    + Requirement.MAX_ALTERNATIVES
                    + " alternatives; declare fewer alternatives in those subgraphs");
            return null;
          }
        }
      }
      result = withoutSupersets(List.copyOf(product));
    }
    return result.stream().map(List::copyOf).toList();
  }

  /** The alternatives that do not contain another one (which already suffices alone). */
  private static List<Set<String>> withoutSupersets(List<Set<String>> alternatives) {
    List<Set<String>> kept = new ArrayList<>();
    for (Set<String> candidate : alternatives) {
      boolean redundant = false;
      for (Set<String> other : alternatives) {
        if (other != candidate && other.size() < candidate.size() && candidate.containsAll(other)) {
          redundant = true;
          break;
        }
      }
      if (!redundant) {
        kept.add(candidate);
      }
    }
    return kept;
  }

  /** Prints merged access control as the supergraph's {@code @authenticated}, etc. */
  private static void printAccess(MergedAccess access, String separator, StringBuilder out) {
    if (access.authenticated()) {
      out.append(separator).append("@authenticated");
    }
    if (access.scopes() != null) {
      out.append(separator)
          .append("@requiresScopes(scopes: ")
          .append(alternativesLiteral(access.scopes()))
          .append(')');
    }
    if (access.policies() != null) {
      out.append(separator)
          .append("@policy(policies: ")
          .append(alternativesLiteral(access.policies()))
          .append(')');
    }
  }

  private static String alternativesLiteral(List<List<String>> alternatives) {
    List<String> printed = new ArrayList<>();
    for (List<String> alternative : alternatives) {
      printed.add(
          "[" + String.join(", ", alternative.stream().map(Composer::quote).toList()) + "]");
    }
    return "[" + String.join(", ", printed) + "]";
  }

  private static @Nullable Integer costWeight(List<Directive> costs) {
    for (Directive cost : costs) {
      Argument weight = cost.getArgument("weight");
      if (weight != null && weight.getValue() instanceof graphql.language.IntValue value) {
        return value.getValue().intValueExact();
      }
    }
    return null;
  }

  /**
   * Per subgraph, the types its own root fields lead to (through fields, interfaces and unions).
   */
  private static Map<String, Set<String>> typesReachableFromRoots(Map<String, MergedType> types) {
    Set<String> graphs = new LinkedHashSet<>();
    types.values().forEach(t -> graphs.addAll(t.graphs.keySet()));
    Map<String, Set<String>> result = new LinkedHashMap<>();
    for (String graph : graphs) {
      Set<String> reached = new LinkedHashSet<>();
      ArrayDeque<String> queue = new ArrayDeque<>();
      for (String root : List.of("Query", "Mutation", "Subscription")) {
        MergedType type = types.get(root);
        if (type != null && type.graphs.containsKey(graph)) {
          reached.add(root);
          queue.add(root);
        }
      }
      while (!queue.isEmpty()) {
        MergedType type = types.get(queue.poll());
        TypeInGraph inGraph = type == null ? null : type.graphs.get(graph);
        if (inGraph == null) {
          continue;
        }
        List<String> next = new ArrayList<>();
        inGraph.fields.values().forEach(f -> next.add(unwrap(f.definition.getType())));
        next.addAll(inGraph.members);
        if (type.kind.equals("interface")) {
          for (MergedType candidate : types.values()) {
            TypeInGraph candidateInGraph = candidate.graphs.get(graph);
            if (candidateInGraph != null && candidateInGraph.interfaces.contains(type.name)) {
              next.add(candidate.name);
            }
          }
        }
        for (String name : next) {
          if (types.containsKey(name) && reached.add(name)) {
            queue.add(name);
          }
        }
      }
      result.put(graph, reached);
    }
    return result;
  }

  /** Subgraphs reachable from {@code start} through resolvable keys, hop by hop. */
  private static Set<String> reachableThroughKeys(MergedType type, String start) {
    Set<String> reached = new LinkedHashSet<>();
    ArrayDeque<String> queue = new ArrayDeque<>();
    queue.add(start);
    reached.add(start);
    // Key fields may be gathered from every subgraph reached so far, not only the last one. Like
    // Apollo's composition, an @external copy counts: the subgraph declares the key with it.
    Set<String> available = new LinkedHashSet<>();
    while (!queue.isEmpty()) {
      String from = queue.poll();
      available.addAll(type.graphs.get(from).fields.keySet());
      for (Map.Entry<String, TypeInGraph> target : type.graphs.entrySet()) {
        if (reached.contains(target.getKey())) {
          continue;
        }
        for (Key key : target.getValue().keys) {
          if (key.resolvable() && available.containsAll(topLevelFields(key.fields()))) {
            reached.add(target.getKey());
            queue.add(target.getKey());
            break;
          }
        }
      }
    }
    return reached;
  }

  /** The label of a progressive override that takes the field from {@code graph}, if any. */
  private static @Nullable String overrideLabelFrom(
      MergedType type, String fieldName, String graph) {
    for (Map.Entry<String, TypeInGraph> other : type.graphs.entrySet()) {
      FieldInGraph field = other.getValue().fields.get(fieldName);
      if (field != null
          && graph.equals(field.override)
          && field.overrideLabel != null
          && !other.getKey().equals(graph)) {
        return field.overrideLabel;
      }
    }
    return null;
  }

  private static @Nullable String overriddenBy(MergedType type, String fieldName, String graph) {
    for (Map.Entry<String, TypeInGraph> other : type.graphs.entrySet()) {
      FieldInGraph field = other.getValue().fields.get(fieldName);
      if (field != null && graph.equals(field.override) && !other.getKey().equals(graph)) {
        return other.getKey();
      }
    }
    return null;
  }

  private static boolean isKeyField(TypeInGraph type, String field) {
    for (Key key : type.keys) {
      if (topLevelFields(key.fields()).contains(field)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> fieldNames(MergedType type) {
    Set<String> names = new LinkedHashSet<>();
    type.graphs.values().forEach(g -> names.addAll(g.fields.keySet()));
    names.addAll(type.interfaceObjectFields.keySet());
    return names;
  }

  /** Top-level field names of a field set such as {@code "id sku { a b }"}. */
  static List<String> topLevelFields(String fieldSet) {
    List<String> names = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : (fieldSet + " ").toCharArray()) {
      if (c == '{') {
        flush(current, names, depth);
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (Character.isWhitespace(c) || c == ',') {
        flush(current, names, depth);
      } else if (c == '(') {
        flush(current, names, depth);
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (depth == 0) {
        current.append(c);
      }
    }
    names.removeIf(n -> n.startsWith("...") || n.equals("on") || n.startsWith("__"));
    return names;
  }

  private static void flush(StringBuilder current, List<String> names, int depth) {
    if (current.length() > 0 && depth == 0) {
      names.add(current.toString());
    }
    current.setLength(0);
  }

  // ---- printing ---------------------------------------------------------------------------

  private static String print(
      List<SubgraphSchema> subgraphs,
      Map<String, MergedType> types,
      Map<String, String> enumNames) {
    StringBuilder out = new StringBuilder();
    // The context spec and join's context arguments appear only where a subgraph uses them.
    boolean contexts =
        types.values().stream()
            .anyMatch(t -> t.graphs.values().stream().anyMatch(g -> !g.contexts.isEmpty()));
    boolean hasMutation = types.containsKey("Mutation");
    boolean hasSubscription = types.containsKey("Subscription");
    // So are the access control specs: each only where some type or field uses its directive.
    List<MergedAccess> accesses = new ArrayList<>();
    for (MergedType type : types.values()) {
      accesses.add(type.access);
      accesses.addAll(type.fieldAccess.values());
    }
    boolean authenticated = accesses.stream().anyMatch(MergedAccess::authenticated);
    boolean requiresScopes = accesses.stream().anyMatch(a -> a.scopes() != null);
    boolean policy = accesses.stream().anyMatch(a -> a.policies() != null);
    out.append("schema\n  @link(url: \"https://specs.apollo.dev/link/v1.0\")\n")
        .append("  @link(url: \"https://specs.apollo.dev/join/v0.5\", for: EXECUTION)\n")
        .append("  @link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)\n")
        .append("  @link(url: \"https://specs.apollo.dev/tag/v0.3\")\n")
        .append(
            "  @link(url: \"https://specs.apollo.dev/cost/v0.1\", import: [\"@cost\","
                + " \"@listSize\"])\n")
        .append(
            contexts
                ? "  @link(url: \"https://specs.apollo.dev/context/v0.1\", for: SECURITY)\n"
                : "")
        .append(
            authenticated
                ? "  @link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY)\n"
                : "")
        .append(
            requiresScopes
                ? "  @link(url: \"https://specs.apollo.dev/requiresScopes/v0.1\", for: SECURITY)\n"
                : "")
        .append(
            policy ? "  @link(url: \"https://specs.apollo.dev/policy/v0.1\", for: SECURITY)\n" : "")
        .append("{\n  query: Query\n");
    if (hasMutation) {
      out.append("  mutation: Mutation\n");
    }
    if (hasSubscription) {
      out.append("  subscription: Subscription\n");
    }
    out.append("}\n\n")
        .append(
            """
            directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
            """);
    out.append(
        "directive @join__field(graph: join__Graph, requires: join__FieldSet, provides:"
            + " join__FieldSet, type: String, external: Boolean, override: String, usedOverridden:"
            + " Boolean, overrideLabel: String"
            + (contexts ? ", contextArguments: [join__ContextArgument!]" : "")
            + ") repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION\n");
    if (contexts) {
      out.append("directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION\n");
    }
    out.append(
        """
        directive @join__graph(name: String!, url: String!) on ENUM_VALUE
        directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
        directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
        directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
        directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
        directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
        directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA
        directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
        directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
        """);
    String accessLocations = " on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM\n";
    if (authenticated) {
      out.append("directive @authenticated").append(accessLocations);
    }
    if (requiresScopes) {
      out.append("directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!)")
          .append(accessLocations);
    }
    if (policy) {
      out.append("directive @policy(policies: [[policy__Policy!]!]!)").append(accessLocations);
    }
    out.append(
        """

        scalar join__FieldSet
        scalar link__Import
        enum link__Purpose { SECURITY EXECUTION }
        """);
    if (requiresScopes) {
      out.append("scalar requiresScopes__Scope\n");
    }
    if (policy) {
      out.append("scalar policy__Policy\n");
    }
    if (contexts) {
      out.append("scalar join__FieldValue\n")
          .append(
              "input join__ContextArgument { name: String! type: String! context: String!"
                  + " selection: join__FieldValue! }\n");
    }
    out.append(
        """

        enum join__Graph {
        """);
    for (SubgraphSchema subgraph : subgraphs) {
      out.append("  ")
          .append(enumNames.get(subgraph.name()))
          .append(" @join__graph(name: ")
          .append(quote(subgraph.name()))
          .append(", url: ")
          .append(quote(subgraph.url().toString()))
          .append(")\n");
    }
    out.append("}\n");
    for (MergedType type : types.values()) {
      out.append('\n');
      printType(types, type, enumNames, out);
    }
    return out.toString();
  }

  private static void printType(
      Map<String, MergedType> types,
      MergedType type,
      Map<String, String> enumNames,
      StringBuilder out) {
    printDescription(type.description, "", out);
    String keyword =
        switch (type.kind) {
          case "type" -> "type";
          case "interface" -> "interface";
          case "union" -> "union";
          case "enum" -> "enum";
          case "input" -> "input";
          default -> "scalar";
        };
    if (keyword.equals("scalar") && BUILT_IN_SCALARS.contains(type.name)) {
      return;
    }
    out.append(keyword).append(' ').append(type.name);
    Set<String> interfaces = new LinkedHashSet<>();
    type.graphs.values().forEach(g -> interfaces.addAll(g.interfaces));
    if (!interfaces.isEmpty()) {
      out.append(" implements ").append(String.join(" & ", interfaces));
    }
    for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
      String graphEnum = enumNames.get(graph.getKey());
      TypeInGraph inGraph = graph.getValue();
      if (inGraph.keys.isEmpty()) {
        out.append("\n  @join__type(graph: ")
            .append(graphEnum)
            .append(inGraph.interfaceObject ? ", isInterfaceObject: true" : "")
            .append(')');
      }
      for (Key key : inGraph.keys) {
        out.append("\n  @join__type(graph: ")
            .append(graphEnum)
            .append(", key: ")
            .append(quote(key.fields()));
        if (inGraph.extension) {
          out.append(", extension: true");
        }
        if (!key.resolvable()) {
          out.append(", resolvable: false");
        }
        if (inGraph.interfaceObject) {
          out.append(", isInterfaceObject: true");
        }
        out.append(')');
      }
      for (String iface : inGraph.interfaces) {
        out.append("\n  @join__implements(graph: ")
            .append(graphEnum)
            .append(", interface: ")
            .append(quote(iface))
            .append(')');
      }
      for (String member : inGraph.members) {
        out.append("\n  @join__unionMember(graph: ")
            .append(graphEnum)
            .append(", member: ")
            .append(quote(member))
            .append(')');
      }
    }
    if (type.inaccessible) {
      out.append("\n  @inaccessible");
    }
    for (String tag : type.tags) {
      out.append("\n  @tag(name: ").append(quote(tag)).append(')');
    }
    if (type.cost != null) {
      out.append("\n  @cost(weight: ").append(type.cost).append(')');
    }
    for (TypeInGraph inGraph : type.graphs.values()) {
      for (String context : inGraph.contexts) {
        out.append("\n  @context(name: ").append(quote(context)).append(')');
      }
    }
    printAccess(type.access, "\n  ", out);
    switch (type.kind) {
      case "type", "interface" -> printFields(types, type, enumNames, out);
      case "union" -> {
        Set<String> members = new LinkedHashSet<>();
        type.graphs.values().forEach(g -> members.addAll(g.members));
        out.append(" = ").append(String.join(" | ", members)).append('\n');
      }
      case "enum" -> {
        out.append(" {\n");
        Set<String> values = new LinkedHashSet<>();
        type.graphs.values().forEach(g -> values.addAll(g.enumValues));
        if (type.inputOnly) {
          // An enum only ever taken as input: every subgraph must accept each value.
          type.graphs.values().forEach(g -> values.retainAll(g.enumValues));
        }
        for (String value : values) {
          out.append("  ").append(value);
          for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
            if (graph.getValue().enumValues.contains(value)) {
              out.append(" @join__enumValue(graph: ")
                  .append(enumNames.get(graph.getKey()))
                  .append(')');
            }
          }
          for (Directive directive : type.enumValueDirectives.getOrDefault(value, List.of())) {
            out.append(' ').append(AstPrinter.printAstCompact(directive));
          }
          if (type.inaccessibleMembers.contains(value)) {
            out.append(" @inaccessible");
          }
          out.append('\n');
        }
        out.append("}\n");
      }
      case "input" -> {
        out.append(" {\n");
        // An input field must be accepted by every subgraph that takes the type.
        Map<String, InputValueDefinition> common = null;
        for (TypeInGraph graph : type.graphs.values()) {
          if (common == null) {
            common = new LinkedHashMap<>(graph.inputFields);
          } else {
            common.keySet().retainAll(graph.inputFields.keySet());
          }
        }
        for (InputValueDefinition field :
            common == null ? List.<InputValueDefinition>of() : common.values()) {
          printDescription(field.getDescription(), "  ", out);
          out.append("  ")
              .append(field.getName())
              .append(": ")
              .append(AstPrinter.printAstCompact(field.getType()));
          if (field.getDefaultValue() != null) {
            out.append(" = ").append(AstPrinter.printAstCompact(field.getDefaultValue()));
          }
          if (type.inaccessibleMembers.contains(field.getName())) {
            out.append(" @inaccessible");
          }
          out.append('\n');
        }
        out.append("}\n");
      }
      default -> out.append('\n');
    }
  }

  private static void printFields(
      Map<String, MergedType> types,
      MergedType type,
      Map<String, String> enumNames,
      StringBuilder out) {
    out.append(" {\n");
    boolean multipleGraphs = type.graphs.size() > 1;
    for (String fieldName : fieldNames(type)) {
      Map.Entry<String, FieldInGraph> viaInterfaceObject =
          type.interfaceObjectFields.get(fieldName);
      if (viaInterfaceObject != null) {
        FieldDefinition definition = viaInterfaceObject.getValue().definition;
        printDescription(definition.getDescription(), "  ", out);
        out.append("  ").append(fieldName);
        printArguments(definition.getInputValueDefinitions(), out);
        out.append(": ")
            .append(AstPrinter.printAstCompact(definition.getType()))
            .append("\n    @join__field(graph: ")
            .append(enumNames.get(viaInterfaceObject.getKey()))
            .append(')');
        printAccess(type.fieldAccess.getOrDefault(fieldName, MergedAccess.NONE), " ", out);
        out.append('\n');
        continue;
      }
      FieldDefinition chosen = null;
      boolean inaccessible = false;
      List<String> joins = new ArrayList<>();
      boolean needsJoins = false;
      Set<String> printedTypes = new LinkedHashSet<>();
      for (TypeInGraph graph : type.graphs.values()) {
        FieldInGraph field = graph.fields.get(fieldName);
        if (field != null) {
          printedTypes.add(AstPrinter.printAstCompact(field.definition.getType()));
        }
      }
      boolean typesDiffer = printedTypes.size() > 1;
      // Arguments taken from a context are the subgraph's business: clients never give them.
      Set<String> contextual = new LinkedHashSet<>();
      for (Map.Entry<String, TypeInGraph> graph : type.graphs.entrySet()) {
        FieldInGraph field = graph.getValue().fields.get(fieldName);
        if (field == null) {
          needsJoins = true;
          continue;
        }
        if (chosen == null
            || isSubtype(types, unwrap(chosen.getType()), unwrap(field.definition.getType()))) {
          chosen = field.definition;
        } else if (unwrap(chosen.getType()).equals(unwrap(field.definition.getType()))
            && (!field.external && isNullable(field.definition.getType()))) {
          chosen = pickType(chosen, field.definition);
        }
        inaccessible |= field.inaccessible;
        StringBuilder join =
            new StringBuilder("@join__field(graph: ").append(enumNames.get(graph.getKey()));
        if (typesDiffer) {
          join.append(", type: ")
              .append(quote(AstPrinter.printAstCompact(field.definition.getType())));
          needsJoins = true;
        }
        if (field.requires != null) {
          join.append(", requires: ").append(quote(field.requires));
          needsJoins = true;
        }
        if (field.provides != null) {
          join.append(", provides: ").append(quote(field.provides));
          needsJoins = true;
        }
        if (!field.contextArguments.isEmpty()) {
          List<String> arguments = new ArrayList<>();
          for (ContextArgument argument : field.contextArguments) {
            arguments.add(
                "{context: "
                    + quote(argument.context())
                    + ", name: "
                    + quote(argument.name())
                    + ", type: "
                    + quote(argument.type())
                    + ", selection: "
                    + quote(argument.selection())
                    + "}");
            contextual.add(argument.name());
          }
          join.append(", contextArguments: [").append(String.join(", ", arguments)).append(']');
          needsJoins = true;
        }
        if (field.external) {
          join.append(", external: true");
          needsJoins = true;
        }
        if (field.override != null) {
          join.append(", override: ").append(quote(field.override));
          if (field.overrideLabel != null) {
            join.append(", overrideLabel: ").append(quote(field.overrideLabel));
          }
          needsJoins = true;
        }
        String progressiveLabel = overrideLabelFrom(type, fieldName, graph.getKey());
        if (progressiveLabel != null) {
          // Overridden only while the label is on: this subgraph keeps the field otherwise.
          join.append(", overrideLabel: ").append(quote(progressiveLabel));
          needsJoins = true;
        } else if (overriddenBy(type, fieldName, graph.getKey()) != null) {
          if (!isKeyField(graph.getValue(), fieldName)
              && !isRequired(graph.getValue(), fieldName)) {
            needsJoins = true;
            continue;
          }
          join.append(", usedOverridden: true");
          needsJoins = true;
        }
        join.append(')');
        joins.add(join.toString());
      }
      if (chosen == null) {
        continue;
      }
      printDescription(chosen.getDescription(), "  ", out);
      out.append("  ").append(fieldName);
      printArguments(
          chosen.getInputValueDefinitions().stream()
              .filter(a -> !contextual.contains(a.getName()))
              .toList(),
          out);
      out.append(": ").append(AstPrinter.printAstCompact(chosen.getType()));
      if (needsJoins || (multipleGraphs && joins.size() < type.graphs.size())) {
        for (String join : joins) {
          out.append("\n    ").append(join);
        }
      }
      for (Directive deprecated : chosen.getDirectives("deprecated")) {
        out.append(' ').append(AstPrinter.printAstCompact(deprecated));
      }
      if (inaccessible) {
        out.append(" @inaccessible");
      }
      Integer cost = null;
      Directive listSize = null;
      for (TypeInGraph graph : type.graphs.values()) {
        FieldInGraph field = graph.fields.get(fieldName);
        if (field != null && field.cost != null && (cost == null || field.cost > cost)) {
          cost = field.cost;
        }
        if (field != null && listSize == null) {
          listSize = field.listSize;
        }
      }
      if (cost != null) {
        out.append(" @cost(weight: ").append(cost).append(')');
      }
      if (listSize != null) {
        out.append(' ')
            .append(AstPrinter.printAstCompact(listSize.transform(b -> b.name("listSize"))));
      }
      printAccess(type.fieldAccess.getOrDefault(fieldName, MergedAccess.NONE), " ", out);
      out.append('\n');
    }
    out.append("}\n");
  }

  private static boolean isRequired(TypeInGraph type, String fieldName) {
    for (FieldInGraph field : type.fields.values()) {
      if (field.requires != null && topLevelFields(field.requires).contains(fieldName)) {
        return true;
      }
    }
    return false;
  }

  private static FieldDefinition pickType(
      @Nullable FieldDefinition current, FieldDefinition candidate) {
    if (current == null) {
      return candidate;
    }
    // The supergraph's output type is the most permissive one: nullable if any subgraph is.
    return isNullable(candidate.getType()) && !isNullable(current.getType()) ? candidate : current;
  }

  private static boolean isNullable(Type<?> type) {
    return !(type instanceof NonNullType);
  }

  private static void printArguments(List<InputValueDefinition> arguments, StringBuilder out) {
    if (arguments.isEmpty()) {
      return;
    }
    out.append('(');
    for (int i = 0; i < arguments.size(); i++) {
      InputValueDefinition argument = arguments.get(i);
      if (i > 0) {
        out.append(", ");
      }
      out.append(argument.getName())
          .append(": ")
          .append(AstPrinter.printAstCompact(argument.getType()));
      if (argument.getDefaultValue() != null) {
        out.append(" = ").append(AstPrinter.printAstCompact(argument.getDefaultValue()));
      }
      // A hidden argument stays hidden: the API schema drops it (and a default it may have
      // that names a hidden enum value).
      if (argument.getDirectives().stream()
          .anyMatch(
              d -> d.getName().equals("inaccessible") || d.getName().endsWith("__inaccessible"))) {
        out.append(" @inaccessible");
      }
    }
    out.append(')');
  }

  private static void printDescription(
      @Nullable Description description, String indent, StringBuilder out) {
    if (description == null
        || description.getContent() == null
        || description.getContent().isBlank()) {
      return;
    }
    out.append(indent)
        .append("\"\"\"")
        .append(description.getContent().replace("\"\"\"", "\\\"\"\""))
        .append("\"\"\"\n");
  }

  private static String kindOf(TypeDefinition<?> type) {
    return switch (type) {
      case ObjectTypeDefinition ignored -> "type";
      case InterfaceTypeDefinition ignored -> "interface";
      case UnionTypeDefinition ignored -> "union";
      case EnumTypeDefinition ignored -> "enum";
      case InputObjectTypeDefinition ignored -> "input";
      case ScalarTypeDefinition ignored -> "scalar";
      default -> "unknown";
    };
  }

  private static String article(String kind) {
    return switch (kind) {
      case "type" -> "an object type";
      case "interface" -> "an interface";
      case "union" -> "a union";
      case "enum" -> "an enum";
      case "input" -> "an input type";
      default -> "a scalar";
    };
  }

  private static String unwrap(Type<?> type) {
    Type<?> current = type;
    while (!(current instanceof TypeName)) {
      current = current instanceof NonNullType nn ? nn.getType() : ((ListType) current).getType();
    }
    return ((TypeName) current).getName();
  }

  private static boolean hasDirective(Object node, String name) {
    return node instanceof DirectivesContainer<?> container && container.hasDirective(name);
  }

  private static @Nullable String directiveString(
      FieldDefinition field, String directive, String argument) {
    for (Directive d : field.getDirectives(directive)) {
      String value = stringArg(d, argument);
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  private static @Nullable String stringArg(Directive directive, String name) {
    Argument argument = directive.getArgument(name);
    return argument != null && argument.getValue() instanceof StringValue s ? s.getValue() : null;
  }

  private static boolean boolArg(Directive directive, String name, boolean fallback) {
    Argument argument = directive.getArgument(name);
    return argument != null && argument.getValue() instanceof BooleanValue b
        ? b.isValue()
        : fallback;
  }

  private static String quote(String value) {
    return "\""
        + value
            .replace("\\", "\\\\")
            .replace("\"", "\\\"")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        + "\"";
  }

  private static String quoted(List<String> graphs) {
    return String.join(" and ", graphs.stream().map(g -> "\"" + g + "\"").toList());
  }
}
