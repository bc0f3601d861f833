package io.meshgate.gateway.plan;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.ObjectValue;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import io.meshgate.gateway.supergraph.Supergraph;
import io.meshgate.gateway.supergraph.Supergraph.FieldInfo;
import io.meshgate.gateway.supergraph.Supergraph.TypeInfo;
import io.meshgate.gateway.supergraph.Supergraph.TypeJoin;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Plans an operation across subgraphs. Fields go to the subgraph that is already fetching their
 * parent when it can resolve them; otherwise the parent is an entity, and a dependent {@code
 * _entities} fetch to a subgraph that can resolve the field is keyed by one of the entity's keys.
 * Required fields ({@code @requires}) are planned into the parent's context first and travel in the
 * representation; {@code @provides} makes external fields resolvable below the providing field.
 * Fetches become a plan of parallel stages in dependency order.
 */
public final class QueryPlanner {

  /**
   * Alias prefix of planner-added fields whose response key a client's field already uses; an
   * operation whose own aliases start with it gets a longer one (see {@link #aliasPrefix}).
   */
  public static final String INTERNAL_ALIAS = "__mg_";

  /**
   * The alias under which a planner-added field (a key or required field) travels when the client's
   * selection holds its response key with another field or other arguments: one alias per field
   * name and arguments, so the executor finds each required value again.
   */
  public static String internalAlias(String prefix, Selection.Field field) {
    if (field.arguments().isEmpty()) {
      return prefix + field.name();
    }
    String arguments =
        graphql.language.AstPrinter.printAstCompact(
            graphql.language.Field.newField("f").arguments(field.arguments()).build());
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < arguments.length(); i++) {
      hash = (hash ^ arguments.charAt(i)) * 0x100000001b3L;
    }
    return prefix + field.name() + "_" + Long.toUnsignedString(hash, 36);
  }

  /** A prefix for internal aliases that no alias of the operation starts with. */
  static String aliasPrefix(NormalizedOperation operation) {
    Set<String> aliases = new HashSet<>();
    collectAliases(operation.selections(), aliases);
    String prefix = INTERNAL_ALIAS;
    for (int n = 1; startsAny(aliases, prefix); n++) {
      prefix = "__mg" + n + "_";
    }
    return prefix;
  }

  private static boolean startsAny(Set<String> aliases, String prefix) {
    return aliases.stream().anyMatch(a -> a.startsWith(prefix));
  }

  private static void collectAliases(List<Selection> selections, Set<String> aliases) {
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Field field -> {
          if (field.alias() != null) {
            aliases.add(field.alias());
          }
          collectAliases(field.selections(), aliases);
        }
        case Selection.Fragment fragment -> collectAliases(fragment.selections(), aliases);
      }
    }
  }

  private final Supergraph supergraph;
  private final Map<String, List<Selection>> fieldSets = new ConcurrentHashMap<>();

  public QueryPlanner(Supergraph supergraph) {
    this.supergraph = supergraph;
  }

  /** Plans one (validated) operation. */
  public QueryPlan plan(NormalizedOperation operation) {
    return plan(operation, Set.of());
  }

  /**
   * Plans one (validated) operation with the given progressive-override labels enabled (see {@link
   * Supergraph.FieldJoin#activeWith}).
   */
  public QueryPlan plan(NormalizedOperation operation, Set<String> labels) {
    return plan(operation, labels, Deadline.none());
  }

  /**
   * Plans one operation, giving up when {@code deadline} passes.
   *
   * @throws Deadline.Exceeded when the deadline passes while planning
   */
  public QueryPlan plan(NormalizedOperation operation, Set<String> labels, Deadline deadline) {
    String rootType =
        switch (operation.kind()) {
          case "query" -> supergraph.queryType();
          case "mutation" -> supergraph.mutationType();
          default -> throw new PlanningException("subscriptions are not supported by this gateway");
        };
    if (rootType == null) {
      throw new PlanningException("the supergraph has no " + operation.kind() + " type");
    }
    List<Selection> fetched = withoutIntrospection(operation.selections());
    if (fetched.isEmpty()) {
      return new QueryPlan(operation, null);
    }
    if (operation.kind().equals("mutation")) {
      return new QueryPlan(operation, planMutation(operation, rootType, fetched, labels, deadline));
    }
    Planning planning = new Planning(operation, labels, deadline);
    planning.planRoot(rootType, fetched);
    return new QueryPlan(operation, planning.toPlanNode());
  }

  /** Mutation root fields run serially in document order; each one's subtree follows it. */
  private PlanNode planMutation(
      NormalizedOperation operation,
      String rootType,
      List<Selection> fields,
      Set<String> labels,
      Deadline deadline) {
    List<PlanNode> steps = new ArrayList<>();
    List<Selection> run = new ArrayList<>();
    String runGraph = null;
    for (Selection selection : flattenRootFragments(fields)) {
      String graph = rootGraph(rootType, selection, labels);
      if (runGraph != null && !runGraph.equals(graph)) {
        steps.add(planMutationRun(operation, rootType, run, labels, deadline));
        run = new ArrayList<>();
      }
      runGraph = graph;
      run.add(selection);
    }
    if (!run.isEmpty()) {
      steps.add(planMutationRun(operation, rootType, run, labels, deadline));
    }
    return steps.size() == 1 ? steps.get(0) : new PlanNode.Sequence(steps);
  }

  private PlanNode planMutationRun(
      NormalizedOperation operation,
      String rootType,
      List<Selection> run,
      Set<String> labels,
      Deadline deadline) {
    Planning planning = new Planning(operation, labels, deadline);
    planning.planRoot(rootType, run);
    return planning.toPlanNode();
  }

  private List<Selection> flattenRootFragments(List<Selection> selections) {
    List<Selection> result = new ArrayList<>();
    for (Selection selection : selections) {
      if (selection instanceof Selection.Fragment fragment && fragment.directives().isEmpty()) {
        result.addAll(flattenRootFragments(fragment.selections()));
      } else {
        result.add(selection);
      }
    }
    return result;
  }

  private String rootGraph(String rootType, Selection selection, Set<String> labels) {
    if (selection instanceof Selection.Field field) {
      TypeInfo type = supergraph.requireType(rootType);
      FieldInfo info = type.fields().get(field.name());
      if (info != null) {
        List<String> graphs = supergraph.graphsResolving(type, info, labels);
        if (!graphs.isEmpty()) {
          return graphs.get(0);
        }
      }
    }
    return "";
  }

  private static List<Selection> withoutIntrospection(List<Selection> selections) {
    List<Selection> result = new ArrayList<>();
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Field field -> {
          if (!field.name().equals("__schema")
              && !field.name().equals("__type")
              && !field.name().equals("__typename")) {
            result.add(field);
          }
        }
        case Selection.Fragment fragment -> {
          List<Selection> inner = withoutIntrospection(fragment.selections());
          if (!inner.isEmpty()) {
            result.add(
                new Selection.Fragment(fragment.typeCondition(), fragment.directives(), inner));
          }
        }
      }
    }
    return result;
  }

  private List<Selection> fieldSet(String fields) {
    return fieldSets.computeIfAbsent(fields, NormalizedOperation::fieldSet);
  }

  /** A fetch being built. */
  private static final class Group {
    final int id;
    final String graph;
    final List<String> path;
    final @Nullable String entityType;
    final Set<String> acceptsTypes;
    final SelectionTree tree = new SelectionTree();
    final SelectionTree requires = new SelectionTree();
    final Set<Group> dependsOn = new LinkedHashSet<>();
    final @Nullable Group parent;
    final @Nullable SelectionTree parentTarget;
    final @Nullable String parentType;
    final List<Selection> parentProvided;
    List<String> keyFields = List.of();
    @Nullable EntityRoute route;

    /** Aliases this fetch uses for keys two sibling fragments give two types, to their keys. */
    final Map<String, String> renames = new LinkedHashMap<>();

    /**
     * Whether this fetch is the one of its entities that takes arguments from ancestors' contexts:
     * the executor splits it by their values, so fields without them stay elsewhere.
     */
    boolean contextual;

    /** The variables of a contextual fetch, by ancestor path, context, selection and type. */
    final Map<String, PlanNode.ContextVariable> contextVariables = new LinkedHashMap<>();

    Group(
        int id,
        String graph,
        List<String> path,
        @Nullable String entityType,
        Set<String> acceptsTypes,
        @Nullable Group parent,
        @Nullable SelectionTree parentTarget,
        @Nullable String parentType,
        List<Selection> parentProvided) {
      this.id = id;
      this.graph = graph;
      this.path = List.copyOf(path);
      this.entityType = entityType;
      this.acceptsTypes = acceptsTypes;
      this.parent = parent;
      this.parentTarget = parentTarget;
      this.parentType = parentType;
      this.parentProvided = parentProvided;
    }

    /** Where this group's fields go: inside {@code ... on EntityType} for entity fetches. */
    SelectionTree fieldsTarget() {
      return entityType == null ? tree : tree.fragment(entityType, List.of());
    }
  }

  /**
   * The nearest entity above a value-type field in one fetch: a field of a value type that the
   * fetch cannot resolve is fetched again from that entity, through another subgraph.
   */
  private record Ancestor(
      Group group,
      TypeInfo type,
      List<String> path,
      SelectionTree target,
      List<Selection> provided,
      List<Selection.Field> chain,
      @Nullable Ancestor outer) {

    Ancestor(
        Group group,
        TypeInfo type,
        List<String> path,
        SelectionTree target,
        List<Selection> provided,
        List<Selection.Field> chain) {
      this(group, type, path, target, provided, chain, null);
    }

    Ancestor below(Selection.Field field) {
      List<Selection.Field> longer = new ArrayList<>(chain);
      longer.add(field);
      return new Ancestor(
          group, type, path, target, provided, longer, outer == null ? null : outer.below(field));
    }

    /** The chain of fields from the entity, the last one without a selection. */
    Selection chainOnly() {
      Selection.Field last = chain.get(chain.size() - 1);
      Selection inner =
          new Selection.Field(
              last.alias(), last.name(), last.arguments(), last.directives(), List.of());
      for (int i = chain.size() - 2; i >= 0; i--) {
        Selection.Field link = chain.get(i);
        inner =
            new Selection.Field(
                link.alias(), link.name(), link.arguments(), link.directives(), List.of(inner));
      }
      return inner;
    }

    /** {@code selection} nested under the chain of fields from the entity. */
    Selection nest(Selection selection) {
      Selection inner = selection;
      for (int i = chain.size() - 1; i >= 0; i--) {
        Selection.Field link = chain.get(i);
        inner =
            new Selection.Field(
                link.alias(), link.name(), link.arguments(), link.directives(), List.of(inner));
      }
      return inner;
    }
  }

  /**
   * An object above the selection being planned: the fetch and place that select it. Contexts
   * ({@code @fromContext}) are looked up along these.
   */
  private record Frame(
      Group group,
      TypeInfo type,
      List<String> path,
      SelectionTree target,
      List<Selection> provided) {}

  /** How to reach an entity in another subgraph. */
  private record EntityRoute(
      String graph, String typename, String key, Set<String> acceptsTypes, boolean intermediate) {

    EntityRoute(String graph, String typename, String key, Set<String> acceptsTypes) {
      this(graph, typename, key, acceptsTypes, false);
    }

    EntityRoute viaIntermediate() {
      return new EntityRoute(graph, typename, key, acceptsTypes, true);
    }
  }

  /** One planning run (one operation, or one run of mutation fields). */
  private final class Planning {
    private final NormalizedOperation operation;

    /** Progressive-override labels enabled for this plan. */
    private final Set<String> labels;

    private final String prefix;

    /** Groups whose required fields are being planned: those fields need a fetch of their own. */
    private final Set<Group> requiring = new LinkedHashSet<>();

    /**
     * Depth of key assembly being checked, bounded so that keys cannot chase each other forever.
     */
    private int assembling;

    private final List<Group> groups = new ArrayList<>();
    private final Map<String, Group> rootGroups = new LinkedHashMap<>();
    private final Map<String, Group> entityGroups = new HashMap<>();
    private List<Group> touched = new ArrayList<>();

    /** The nearest entity above the field being planned, in the same fetch; null if none. */
    private @Nullable Ancestor ancestor;

    /** The objects above the selection being planned, innermost last. */
    private final List<Frame> frames = new ArrayList<>();

    /** Numbers the variables (and aliases) of context arguments across the plan. */
    private int contextCount;

    /** When the request must be answered: planning stops when it passes. */
    private final Deadline deadline;

    Planning(NormalizedOperation operation, Set<String> labels, Deadline deadline) {
      this.operation = operation;
      this.labels = labels;
      this.deadline = deadline;
      this.prefix = aliasPrefix(operation);
    }

    void planRoot(String rootType, List<Selection> selections) {
      TypeInfo root = supergraph.requireType(rootType);
      for (Selection selection : selections) {
        switch (selection) {
          case Selection.Field field -> {
            FieldInfo info = requireField(root, field);
            List<String> graphs = supergraph.graphsResolving(root, info, labels);
            if (graphs.isEmpty()) {
              throw new PlanningException("no subgraph resolves " + rootType + "." + field.name());
            }
            Group group =
                rootGroups.computeIfAbsent(
                    chooseRootGraph(root, field, graphs),
                    g -> newGroup(g, List.of(), null, Set.of(), null, null, null, List.of()));
            Ancestor saved = ancestor;
            ancestor = new Ancestor(group, root, List.of(), group.tree, List.of(), List.of());
            planSelections(group, rootType, List.of(field), List.of(), group.tree, List.of());
            ancestor = saved;
          }
          case Selection.Fragment fragment -> {
            // A fragment on the root type: its fields are root fields under the same directives.
            List<Selection> wrapped = new ArrayList<>();
            for (Selection inner : fragment.selections()) {
              wrapped.add(inner);
            }
            if (fragment.directives().isEmpty()) {
              planRoot(rootType, wrapped);
            } else {
              for (Selection inner : wrapped) {
                planRootWithDirectives(rootType, inner, fragment.directives());
              }
            }
          }
        }
      }
    }

    private void planRootWithDirectives(
        String rootType, Selection inner, List<Directive> directives) {
      if (inner instanceof Selection.Field field) {
        List<Directive> merged = new ArrayList<>(field.directives());
        merged.addAll(directives);
        planRoot(
            rootType,
            List.of(
                new Selection.Field(
                    field.alias(), field.name(), field.arguments(), merged, field.selections())));
      } else {
        Selection.Fragment fragment = (Selection.Fragment) inner;
        List<Directive> merged = new ArrayList<>(fragment.directives());
        merged.addAll(directives);
        planRoot(
            rootType,
            List.of(
                new Selection.Fragment(fragment.typeCondition(), merged, fragment.selections())));
      }
    }

    /**
     * A shareable root field goes to a subgraph that can answer its whole selection by itself
     * ({@code @provides} counted), preferring one already queried to save a request; failing that,
     * to the one that answers the most of it.
     */
    private String chooseRootGraph(TypeInfo root, Selection.Field field, List<String> graphs) {
      if (graphs.size() == 1) {
        return graphs.get(0);
      }
      String best = graphs.get(0);
      int bestScore = Integer.MIN_VALUE;
      for (String graph : graphs) {
        int score =
            reach(graph, root, List.of(field), List.of()) * 2
                + (rootGroups.containsKey(graph) ? 1 : 0);
        if (score > bestScore) {
          best = graph;
          bestScore = score;
        }
      }
      return best;
    }

    /** How many of the selected fields {@code graph} resolves itself along the selection. */
    private int reach(
        String graph, TypeInfo type, List<Selection> selections, List<Selection> provided) {
      int count = 0;
      for (Selection selection : selections) {
        switch (selection) {
          case Selection.Field field -> {
            if (field.name().equals("__typename")) {
              continue;
            }
            FieldInfo info = type.fields().get(field.name());
            if (info == null || !canResolve(graph, type, info, provided)) {
              continue;
            }
            count++;
            if (!field.isLeaf()) {
              List<Selection> childProvided =
                  new ArrayList<>(providedBelow(provided, field.name(), type.name()));
              supergraph
                  .fieldJoin(info, graph)
                  .map(Supergraph.FieldJoin::provides)
                  .ifPresent(p -> childProvided.addAll(fieldSet(p)));
              count +=
                  reach(
                      graph,
                      supergraph.requireType(info.typeName()),
                      field.selections(),
                      childProvided);
            }
          }
          case Selection.Fragment fragment -> {
            String condition = fragment.typeCondition();
            Optional<TypeInfo> inner =
                condition == null ? Optional.of(type) : supergraph.type(condition);
            if (inner.isPresent()) {
              count += reach(graph, inner.get(), fragment.selections(), provided);
            }
          }
        }
      }
      return count;
    }

    private Group newGroup(
        String graph,
        List<String> path,
        @Nullable String entityType,
        Set<String> accepts,
        @Nullable Group parent,
        @Nullable SelectionTree parentTarget,
        @Nullable String parentType,
        List<Selection> parentProvided) {
      Group group =
          new Group(
              groups.size(),
              graph,
              path,
              entityType,
              accepts,
              parent,
              parentTarget,
              parentType,
              parentProvided);
      groups.add(group);
      return group;
    }

    void planSelections(
        Group group,
        String parentType,
        List<Selection> selections,
        List<String> path,
        SelectionTree target,
        List<Selection> provided) {
      touched.add(group);
      TypeInfo type = supergraph.requireType(parentType);
      frames.add(new Frame(group, type, path, target, provided));
      try {
        for (Selection selection : selections) {
          switch (selection) {
            case Selection.Fragment fragment ->
                planFragment(group, type, fragment, path, target, provided);
            case Selection.Field field -> planField(group, type, field, path, target, provided);
          }
        }
      } finally {
        frames.remove(frames.size() - 1);
      }
    }

    private void planFragment(
        Group group,
        TypeInfo type,
        Selection.Fragment fragment,
        List<String> path,
        SelectionTree target,
        List<Selection> provided) {
      String condition = fragment.typeCondition();
      if (condition == null || condition.equals(type.name())) {
        SelectionTree inner =
            fragment.directives().isEmpty() ? target : target.fragment(null, fragment.directives());
        planSelections(group, type.name(), fragment.selections(), path, inner, provided);
        return;
      }
      TypeInfo conditionType = supergraph.requireType(condition);
      if (!knows(group.graph, conditionType) && isInterfaceObjectIn(type, group.graph)) {
        // This subgraph sees the interface as an object and knows no implementation: ask the
        // subgraph that owns the interface as an entity, which returns concrete types.
        Optional<EntityRoute> owner = interfaceOwnerRoute(group.graph, type, provided);
        if (owner.isPresent()) {
          Group entityGroup = entityGroup(group, type, owner.get(), path, target, provided);
          planSelections(
              entityGroup,
              type.name(),
              List.of(fragment),
              path,
              entityGroup.fieldsTarget(),
              List.of());
          return;
        }
      }
      if (!knows(group.graph, conditionType)) {
        // This subgraph never returns objects of that type; another one may, for
        // abstract parents: route the fragment's fields to each possible type we know.
        Set<String> runtimeTypes = new LinkedHashSet<>(supergraph.possibleTypes(condition));
        runtimeTypes.retainAll(supergraph.possibleTypes(type.name()));
        for (String runtime : runtimeTypes) {
          TypeInfo runtimeType = supergraph.requireType(runtime);
          if (knows(group.graph, runtimeType) && !runtime.equals(condition)) {
            SelectionTree inner = target.fragment(runtime, fragment.directives());
            planSelections(group, runtime, fragment.selections(), path, inner, provided);
          }
        }
        return;
      }
      if (conditionType.kind() == Supergraph.Kind.OBJECT
          && type.kind() != Supergraph.Kind.OBJECT
          && !memberEverywhereAbove(group, type, condition)) {
        // The path from the entity above resolves in several subgraphs, and this member is not
        // in all of them: like the reference planners, select only the members they share (the
        // object keeps its __typename).
        return;
      }
      if (!isInterfaceObjectIn(type, group.graph)
          && !possibleIn(group.graph, type, conditionType)) {
        // As this subgraph declares the types, no object under the parent can match the
        // condition (it implements the interface or joins the union only elsewhere): the
        // subgraph would reject the fragment, and it could select nothing.
        return;
      }
      if (conditionType.kind() == Supergraph.Kind.INTERFACE
          || conditionType.kind() == Supergraph.Kind.UNION) {
        Set<String> runtimeTypes = new LinkedHashSet<>(supergraph.possibleTypes(condition));
        runtimeTypes.retainAll(supergraph.possibleTypes(type.name()));
        runtimeTypes.retainAll(possibleTypesIn(group.graph, type));
        boolean sameInThisGraph =
            runtimeTypes.stream()
                .filter(t -> knows(group.graph, supergraph.requireType(t)))
                .allMatch(t -> belongsIn(group.graph, t, conditionType));
        if (!sameInThisGraph) {
          // In this subgraph some runtime type is not a member of the condition although it is
          // in the supergraph: the fragment would match nothing for it here. Ask per type.
          for (String runtime : runtimeTypes) {
            if (knows(group.graph, supergraph.requireType(runtime))) {
              planSelections(
                  group,
                  runtime,
                  fragment.selections(),
                  path,
                  target.fragment(runtime, fragment.directives()),
                  provided);
            }
          }
          return;
        }
      }
      SelectionTree inner = target.fragment(condition, fragment.directives());
      planSelections(group, condition, fragment.selections(), path, inner, provided);
    }

    /**
     * The field's type as the subgraph declares it: a subgraph may return a narrower type
     * ({@code @join__field(type:)}, e.g. an object where the supergraph has its union), and only
     * type conditions valid under that type may be sent to it.
     */
    private TypeInfo subgraphFieldType(FieldInfo info, Optional<Supergraph.FieldJoin> join) {
      if (join.isPresent() && join.get().type() != null) {
        String named = join.get().type().replaceAll("[\\[\\]!\\s]", "");
        if (!named.equals(info.typeName())) {
          Optional<TypeInfo> narrowed = supergraph.type(named);
          if (narrowed.isPresent()) {
            return narrowed.get();
          }
        }
      }
      return supergraph.requireType(info.typeName());
    }

    /**
     * What GraphQL requires to be equal of two fields with one response key in sibling fragments:
     * their list and non-null wrappers, and the type itself only for leaves (objects of different
     * types merge by their own fields).
     */
    private String responseShape(String printedType) {
      String named = printedType.replaceAll("[\\[\\]!\\s]", "");
      Optional<TypeInfo> type = supergraph.type(named);
      boolean composite =
          type.isPresent()
              && (type.get().kind() == Supergraph.Kind.OBJECT
                  || type.get().kind() == Supergraph.Kind.INTERFACE
                  || type.get().kind() == Supergraph.Kind.UNION);
      return composite ? printedType.replace(named, "*") : printedType;
    }

    /**
     * Whether {@code member} is a possible type of {@code abstractType} in every subgraph that
     * resolves the path from the nearest entity above (through a key of it) down to here.
     */
    private boolean memberEverywhereAbove(Group group, TypeInfo abstractType, String member) {
      Ancestor from = ancestor;
      if (from == null
          || from.group() != group
          || from.chain().isEmpty()
          || !isEntity(from.type())
          || supergraph.isRootType(from.type().name())) {
        return true;
      }
      List<String> graphs = new ArrayList<>();
      for (Supergraph.Graph graph : supergraph.graphs()) {
        String name = graph.name();
        boolean keyed =
            from.type().joinsIn(name).stream().anyMatch(j -> j.key() != null && j.resolvable());
        if ((keyed || name.equals(group.graph))
            && selectable(name, from.type(), List.of(from.chainOnly()), List.of())) {
          graphs.add(name);
        }
      }
      if (graphs.size() < 2 || narrowedSomewhere(from, graphs)) {
        return true;
      }
      return graphs.stream().allMatch(g -> possibleTypesIn(g, abstractType).contains(member));
    }

    /**
     * Whether a subgraph declares the last field of the chain with a type of its own (a member
     * where others have the union): the field's objects then come typed as that subgraph says, and
     * each member resolves where it lives.
     */
    private boolean narrowedSomewhere(Ancestor from, List<String> graphs) {
      TypeInfo type = from.type();
      FieldInfo last = null;
      for (Selection.Field link : from.chain()) {
        last = type.fields().get(link.name());
        if (last == null) {
          return true;
        }
        type = supergraph.requireType(last.typeName());
      }
      FieldInfo field = last;
      return field == null
          || graphs.stream()
              .anyMatch(
                  g ->
                      supergraph
                          .fieldJoin(field, g)
                          .map(
                              j ->
                                  j.type() != null
                                      && !j.type()
                                          .replaceAll("[\\[\\]!\\s]", "")
                                          .equals(field.typeName()))
                          .orElse(false));
    }

    /**
     * Whether some object can be of both types in {@code graph}, as that subgraph declares them.
     */
    private boolean possibleIn(String graph, TypeInfo parent, TypeInfo condition) {
      Set<String> both = new LinkedHashSet<>(possibleTypesIn(graph, parent));
      both.retainAll(possibleTypesIn(graph, condition));
      return !both.isEmpty();
    }

    /**
     * The object types {@code graph} can return for {@code type}, as that subgraph declares them.
     */
    private Set<String> possibleTypesIn(String graph, TypeInfo type) {
      Set<String> result = new LinkedHashSet<>();
      if (type.kind() == Supergraph.Kind.OBJECT) {
        if (knows(graph, type)) {
          result.add(type.name());
        }
        return result;
      }
      for (String runtime : supergraph.possibleTypes(type.name())) {
        TypeInfo object = supergraph.requireType(runtime);
        if (knows(graph, object) && belongsIn(graph, runtime, type)) {
          result.add(runtime);
        }
      }
      return result;
    }

    /**
     * Whether {@code type} implements (or is a member of) {@code abstractType} in {@code graph}.
     */
    private boolean belongsIn(String graph, String type, TypeInfo abstractType) {
      if (abstractType.kind() == Supergraph.Kind.UNION) {
        if (abstractType.unionMembersByGraph().isEmpty()) {
          return true;
        }
        Set<String> members = abstractType.unionMembersByGraph().get(graph);
        return members != null && members.contains(type);
      }
      TypeInfo object = supergraph.requireType(type);
      if (object.implementsByGraph().isEmpty()) {
        return object.interfaces().contains(abstractType.name());
      }
      Set<String> implemented = object.implementsByGraph().get(graph);
      return implemented != null && implemented.contains(abstractType.name());
    }

    private void planField(
        Group group,
        TypeInfo type,
        Selection.Field requested,
        List<String> path,
        SelectionTree target,
        List<Selection> provided) {
      deadline.check("planning");
      Selection.Field field = requested;
      if (field.name().equals("__typename")) {
        target.field(field);
        if (isInterfaceObjectIn(type, group.graph)) {
          // The subgraph answers with the interface's name; the owner knows the concrete type.
          interfaceOwnerRoute(group.graph, type, provided)
              .ifPresent(
                  owner -> {
                    Group entityGroup = entityGroup(group, type, owner, path, target, provided);
                    entityGroup.fieldsTarget().leaf("__typename");
                  });
        }
        return;
      }
      FieldInfo info = requireField(type, field);
      if (type.kind() == Supergraph.Kind.INTERFACE
          && canResolve(group.graph, type, info, provided)
          && !implementationsAgree(group.graph, type, field, provided)) {
        // Some implementation's copy of the field resolves elsewhere (overridden, external):
        // ask per implementation.
        for (String runtime : possibleTypesIn(group.graph, type)) {
          planSelections(
              group, runtime, List.of(field), path, target.fragment(runtime, List.of()), provided);
        }
        return;
      }
      if (!(group.contextual && path.equals(group.path))
          && planInContextualFetch(group, type, info, field, path, target, provided)) {
        return;
      }
      if (canResolve(group.graph, type, info, provided)) {
        Optional<Supergraph.FieldJoin> join = supergraph.fieldJoin(info, group.graph);
        List<Supergraph.ContextArgument> contextArguments =
            join.map(Supergraph.FieldJoin::contextArguments).orElse(List.of());
        if (!contextArguments.isEmpty()) {
          field = withContextArguments(group, field, contextArguments, path);
        }
        if (target.conflicts(field)) {
          // Only fields the planner adds (keys, required fields) can collide with a client's
          // field; they travel under an alias of their own that the executor derives again.
          field =
              new Selection.Field(
                  internalAlias(prefix, field),
                  field.name(),
                  field.arguments(),
                  field.directives(),
                  field.selections());
        }
        String subgraphType = join.map(Supergraph.FieldJoin::type).orElse(null);
        if (!target.claimKey(
            field.responseKey(),
            responseShape(
                subgraphType != null
                    ? subgraphType
                    : graphql.language.AstPrinter.printAstCompact(info.type())))) {
          // A sibling fragment has this key with another type in this subgraph (ID! here, ID
          // there): fetch it under an alias of its own, renamed back in the answer.
          String alias = prefix + "t" + group.renames.size() + "_" + field.responseKey();
          group.renames.put(alias, field.responseKey());
          field =
              new Selection.Field(
                  alias, field.name(), field.arguments(), field.directives(), field.selections());
          target.claimKey(alias, "");
        }
        if (join.isPresent() && join.get().requires() != null) {
          if (group.entityType == null || !path.equals(group.path)) {
            // Required fields travel in a representation: ask this subgraph again, through
            // _entities, once they are fetched.
            Optional<EntityRoute> self = keyRoute(group.graph, type, group.graph, provided);
            if (self.isPresent()) {
              Group entityGroup = entityGroup(group, type, self.get(), path, target, provided);
              planField(
                  entityGroup,
                  supergraph.requireType(self.get().typename()),
                  field,
                  path,
                  entityGroup.fieldsTarget(),
                  List.of());
              return;
            }
          } else {
            List<Selection> required = fieldSet(join.get().requires());
            if (group.route != null
                && group.requires.fragment(group.entityType, List.of()).conflictsByName(required)) {
              // This fetch's representation already holds a required field with other arguments:
              // a second fetch carries this one's.
              Group sibling = siblingFor(group, type, required);
              planField(sibling, type, field, path, sibling.fieldsTarget(), List.of());
              return;
            }
            addRequirements(group, required);
          }
        }
        SelectionTree.FieldEntry entry = target.field(field);
        if (!field.isLeaf()) {
          List<Selection> childProvided =
              new ArrayList<>(providedBelow(provided, field.name(), type.name()));
          if (join.isPresent() && join.get().provides() != null) {
            childProvided.addAll(fieldSet(join.get().provides()));
          }
          List<String> childPath = append(path, field.responseKey());
          TypeInfo childType = subgraphFieldType(info, join);
          Ancestor saved = ancestor;
          if (isEntity(childType)) {
            // The ancestor further up stays in reach: this entity may have no key here.
            Selection.Field link =
                new Selection.Field(
                    field.alias(), field.name(), field.arguments(), field.directives(), List.of());
            Ancestor outer =
                ancestor != null && ancestor.group() == group ? ancestor.below(link) : null;
            ancestor =
                new Ancestor(
                    group, childType, childPath, entry.selections, childProvided, List.of(), outer);
          } else if (ancestor != null && ancestor.group() == group) {
            ancestor =
                ancestor.below(
                    new Selection.Field(
                        field.alias(),
                        field.name(),
                        field.arguments(),
                        field.directives(),
                        List.of()));
          } else {
            ancestor = null;
          }
          planSelections(
              group,
              childType.name(),
              field.selections(),
              childPath,
              entry.selections,
              childProvided);
          ancestor = saved;
        }
        return;
      }
      Optional<EntityRoute> routed = routeTo(group.graph, type, info, provided, field);
      if (!isEntity(type) || routed.isEmpty()) {
        // A value type here (maybe an entity elsewhere, with no key this subgraph can give):
        // re-enter a subgraph that resolves the field from the nearest point above.
        for (Ancestor from = ancestor; from != null; from = from.outer()) {
          if (from.group() == group
              && !from.chain().isEmpty()
              && planFromAncestor(group, type, field, from)) {
            return;
          }
        }
      }
      if (type.kind() == Supergraph.Kind.INTERFACE && routed.isEmpty()) {
        // No subgraph takes the interface as a whole: ask per implementation.
        boolean planned = false;
        for (String runtime : possibleTypesIn(group.graph, type)) {
          planSelections(
              group, runtime, List.of(field), path, target.fragment(runtime, List.of()), provided);
          planned = true;
        }
        if (!planned) {
          throw new PlanningException(
              "cannot plan "
                  + type.name()
                  + "."
                  + requested.name()
                  + ": subgraph "
                  + group.graph
                  + " cannot resolve it and no subgraph that can is reachable by a resolvable key"
                  + " of "
                  + type.name());
        }
        return;
      }
      EntityRoute route =
          routed.orElseThrow(
              () ->
                  new PlanningException(
                      "cannot plan "
                          + type.name()
                          + "."
                          + requested.name()
                          + ": subgraph "
                          + group.graph
                          + " cannot resolve it and no subgraph that can shares a key of "
                          + type.name()
                          + " with it"));
      Group entityGroup = entityGroup(group, type, route, path, target, provided);
      TypeInfo entityType = supergraph.requireType(route.typename());
      FieldInfo entityField = fieldFor(route.typename(), field.name(), info);
      if (!route.intermediate() && !canResolve(route.graph(), entityType, entityField, List.of())) {
        throw new PlanningException(
            "cannot plan "
                + type.name()
                + "."
                + field.name()
                + ": subgraph "
                + route.graph()
                + " does not resolve it on "
                + route.typename());
      }
      Ancestor saved = ancestor;
      ancestor =
          isEntity(entityType)
              ? new Ancestor(
                  entityGroup, entityType, path, entityGroup.fieldsTarget(), List.of(), List.of())
              : null;
      planField(entityGroup, entityType, field, path, entityGroup.fieldsTarget(), List.of());
      ancestor = saved;
    }

    /**
     * A field whose subgraph takes arguments from a context goes to a fetch of its own through
     * {@code _entities}, also when its parent comes from that subgraph: the values differ from one
     * entity to the next, and the executor sends one request per distinct set of them. False when
     * the field takes no argument from a context where it would be resolved.
     */
    private boolean planInContextualFetch(
        Group group,
        TypeInfo type,
        FieldInfo info,
        Selection.Field field,
        List<String> path,
        SelectionTree target,
        List<Selection> provided) {
      if (info.joins().stream().allMatch(j -> j.contextArguments().isEmpty())) {
        return false;
      }
      Optional<EntityRoute> route;
      if (canResolve(group.graph, type, info, provided)) {
        if (contextArgumentsIn(info, group.graph).isEmpty()) {
          return false;
        }
        route = keyRoute(group.graph, type, group.graph, provided);
        if (route.isEmpty()) {
          throw new PlanningException(
              "cannot plan "
                  + type.name()
                  + "."
                  + field.name()
                  + ": it takes arguments "
                  + "from a context, and "
                  + type.name()
                  + " has no key in "
                  + group.graph
                  + " to ask for it by entity");
        }
      } else {
        route = routeTo(group.graph, type, info, provided);
        if (route.isEmpty()
            || route.get().intermediate()
            || contextArgumentsIn(
                    fieldFor(route.get().typename(), field.name(), info), route.get().graph())
                .isEmpty()) {
          return false;
        }
      }
      Group contextual = entityGroup(group, type, route.get(), path, target, provided, "context");
      contextual.contextual = true;
      TypeInfo entityType = supergraph.requireType(route.get().typename());
      Ancestor saved = ancestor;
      ancestor =
          isEntity(entityType)
              ? new Ancestor(
                  contextual, entityType, path, contextual.fieldsTarget(), List.of(), List.of())
              : null;
      planField(contextual, entityType, field, path, contextual.fieldsTarget(), List.of());
      ancestor = saved;
      return true;
    }

    private List<Supergraph.ContextArgument> contextArgumentsIn(FieldInfo info, String graph) {
      return supergraph
          .fieldJoin(info, graph)
          .map(Supergraph.FieldJoin::contextArguments)
          .orElse(List.of());
    }

    /**
     * The field with each context argument passed as a variable of the (contextual) fetch; the
     * context's selection is planned on the nearest ancestor that sets the context, and this fetch
     * waits for it.
     */
    private Selection.Field withContextArguments(
        Group group,
        Selection.Field field,
        List<Supergraph.ContextArgument> contextArguments,
        List<String> path) {
      List<Argument> arguments = new ArrayList<>(field.arguments());
      for (Supergraph.ContextArgument argument : contextArguments) {
        String variable = contextVariable(group, argument, path);
        // The API schema has no such argument, so the client cannot have given it.
        arguments.removeIf(a -> a.getName().equals(argument.name()));
        arguments.add(new Argument(argument.name(), new VariableReference(variable)));
      }
      return new Selection.Field(
          field.alias(), field.name(), arguments, field.directives(), field.selections());
    }

    /** The variable that carries one context argument to {@code group}, planned on first use. */
    private String contextVariable(
        Group group, Supergraph.ContextArgument argument, List<String> path) {
      Frame frame = null;
      List<String> conditions = List.of();
      int limit = path.size();
      for (int i = frames.size() - 1; i >= 0 && frame == null; i--) {
        Frame candidate = frames.get(i);
        // Only the objects on the way to this field, innermost first (the stack may also hold
        // places an earlier step planned into).
        if (candidate.path().size() > limit
            || !path.subList(0, candidate.path().size()).equals(candidate.path())) {
          continue;
        }
        limit = candidate.path().size();
        if (setsContext(candidate.type(), argument.context())) {
          frame = candidate;
        } else if (candidate.type().kind() != Supergraph.Kind.OBJECT) {
          // An abstract ancestor: only the objects of the types that set the context give it.
          List<String> setting =
              supergraph.possibleTypes(candidate.type().name()).stream()
                  .filter(t -> setsContext(supergraph.requireType(t), argument.context()))
                  .toList();
          if (!setting.isEmpty()) {
            frame = candidate;
            conditions = setting;
          }
        }
      }
      if (frame == null) {
        throw new PlanningException(
            "no ancestor at "
                + String.join(".", path)
                + " sets the context "
                + argument.context()
                + " that argument "
                + argument.name()
                + " needs");
      }
      String key =
          String.join("/", frame.path())
              + "|"
              + argument.context()
              + "|"
              + argument.selection()
              + "|"
              + argument.type()
              + "|"
              + conditions;
      PlanNode.ContextVariable existing = group.contextVariables.get(key);
      if (existing != null) {
        return existing.name();
      }
      String name = prefix + "ctx" + contextCount++;
      List<Selection> selection = fieldSet(stripBraces(argument.selection()));
      List<Selection.Field> top = new ArrayList<>();
      List<Selection> aliased = aliasTopLevel(selection, name + "_", top);
      if (top.isEmpty()) {
        throw new PlanningException(
            "the selection of context " + argument.context() + " selects no field");
      }
      List<Selection> planned =
          conditions.isEmpty()
              ? aliased
              : conditions.stream()
                  .map(c -> (Selection) new Selection.Fragment(c, List.of(), aliased))
                  .toList();
      List<Group> saved = touched;
      touched = new ArrayList<>();
      Ancestor savedAncestor = ancestor;
      ancestor =
          isEntity(frame.type())
              ? new Ancestor(
                  frame.group(),
                  frame.type(),
                  frame.path(),
                  frame.target(),
                  frame.provided(),
                  List.of())
              : null;
      planSelections(
          frame.group(),
          frame.type().name(),
          planned,
          frame.path(),
          frame.target(),
          frame.provided());
      ancestor = savedAncestor;
      for (Group provider : touched) {
        if (provider != group && !dependsOnTransitively(provider, group)) {
          group.dependsOn.add(provider);
        }
      }
      saved.addAll(touched);
      touched = saved;
      Selection.Field value = top.get(0);
      group.contextVariables.put(
          key,
          new PlanNode.ContextVariable(
              name,
              argument.type(),
              frame.path(),
              Objects.requireNonNull(value.alias()),
              value.selections()));
      return name;
    }

    /**
     * Whether objects of {@code type} set the context (themselves, or through an interface or
     * union).
     */
    private boolean setsContext(TypeInfo type, String context) {
      if (type.contexts().contains(context)) {
        return true;
      }
      if (type.kind() != Supergraph.Kind.OBJECT) {
        return false;
      }
      for (String iface : type.interfaces()) {
        if (supergraph.requireType(iface).contexts().contains(context)) {
          return true;
        }
      }
      return supergraph.types().stream()
          .anyMatch(
              t ->
                  t.kind() == Supergraph.Kind.UNION
                      && t.unionMembers().contains(type.name())
                      && t.contexts().contains(context));
    }

    /**
     * The selection with its top-level fields (inside fragments too) under aliases {@code prefix +
     * name}.
     */
    private List<Selection> aliasTopLevel(
        List<Selection> selections, String prefix, List<Selection.Field> top) {
      List<Selection> result = new ArrayList<>();
      for (Selection selection : selections) {
        switch (selection) {
          case Selection.Field field -> {
            Selection.Field aliased =
                new Selection.Field(
                    prefix + field.name(),
                    field.name(),
                    field.arguments(),
                    field.directives(),
                    field.selections());
            top.add(aliased);
            result.add(aliased);
          }
          case Selection.Fragment fragment ->
              result.add(
                  new Selection.Fragment(
                      fragment.typeCondition(),
                      fragment.directives(),
                      aliasTopLevel(fragment.selections(), prefix, top)));
        }
      }
      return result;
    }

    /**
     * A value-type field this fetch cannot resolve (e.g. below a partial {@code @provides}): fetch
     * it from the nearest entity above, through a subgraph that resolves the whole path.
     */
    private boolean planFromAncestor(
        Group group, TypeInfo type, Selection.Field field, Ancestor from) {
      Selection.Field first = from.chain().get(0);
      FieldInfo firstInfo = from.type().fields().get(first.name());
      if (firstInfo == null) {
        return false;
      }
      String staticType = staticType(from);
      boolean narrowed = staticType == null || !staticType.equals(type.name());
      Selection.Field bare =
          new Selection.Field(
              field.alias(), field.name(), field.arguments(), field.directives(), List.of());
      Selection nested =
          from.nest(
              narrowed ? new Selection.Fragment(type.name(), List.of(), List.of(field)) : field);
      // The path down to the field must resolve there; what lies below it is planned as usual.
      Selection path =
          from.nest(
              narrowed ? new Selection.Fragment(type.name(), List.of(), List.of(bare)) : bare);
      if (supergraph.isRootType(from.type().name())) {
        // A root field is answered by one subgraph for the object it returns: another subgraph's
        // answer for one of its implementations is no substitute.
        return !narrowed && planFromRoot(group, from, firstInfo, nested, path);
      }
      // First a subgraph that resolves the field itself; else one whose object there has a key
      // to a subgraph that does.
      List<String> candidates = new ArrayList<>();
      for (String graph : supergraph.graphsResolving(from.type(), firstInfo, labels)) {
        if (!graph.equals(group.graph)
            && selectable(graph, from.type(), List.of(path), List.of())) {
          candidates.add(graph);
        }
      }
      Selection chainOnly = from.chainOnly();
      for (String graph : supergraph.graphsResolving(from.type(), firstInfo, labels)) {
        if (!graph.equals(group.graph)
            && !candidates.contains(graph)
            && selectable(graph, from.type(), List.of(chainOnly), List.of())
            && knows(graph, type)
            && routeTo(graph, type, type.fields().get(field.name()), List.of()).isPresent()) {
          candidates.add(graph);
        }
      }
      for (String graph : candidates) {
        Group keyGroup = group;
        SelectionTree keyTarget = from.target();
        List<Selection> keyProvided = from.provided();
        Optional<EntityRoute> route = keyRoute(group.graph, from.type(), graph, keyProvided);
        while (route.isEmpty()
            && keyGroup.entityType != null
            && keyGroup.parent != null
            && keyGroup.parentTarget != null
            && keyGroup.path.equals(from.path())) {
          // The entity came here from an earlier fetch of the same object, which may give the
          // key this subgraph cannot (it marks it external).
          keyTarget = keyGroup.parentTarget;
          keyProvided = keyGroup.parentProvided;
          keyGroup = keyGroup.parent;
          route = keyRoute(keyGroup.graph, from.type(), graph, keyProvided);
        }
        if (route.isEmpty()) {
          continue;
        }
        Group entityGroup =
            entityGroup(keyGroup, from.type(), route.get(), from.path(), keyTarget, keyProvided);
        Ancestor saved = ancestor;
        ancestor =
            new Ancestor(
                entityGroup,
                from.type(),
                from.path(),
                entityGroup.fieldsTarget(),
                List.of(),
                List.of());
        planSelections(
            entityGroup,
            route.get().typename(),
            List.of(nested),
            from.path(),
            entityGroup.fieldsTarget(),
            List.of());
        ancestor = saved;
        return true;
      }
      return false;
    }

    /** The declared type at the end of the ancestor's chain of fields, or null if unknown. */
    private @Nullable String staticType(Ancestor from) {
      TypeInfo type = from.type();
      for (Selection.Field link : from.chain()) {
        FieldInfo info = type.fields().get(link.name());
        if (info == null) {
          return null;
        }
        type = supergraph.requireType(info.typeName());
      }
      return type.name();
    }

    /**
     * A field below a shareable root field that the chosen subgraph cannot resolve: the same root
     * field is asked of another subgraph that resolves the path, and the answers merge. Only
     * queries: a mutation's root field must run once.
     */
    private boolean planFromRoot(
        Group group, Ancestor from, FieldInfo rootField, Selection nested, Selection path) {
      if (!operation.kind().equals("query")) {
        return false;
      }
      for (String graph : supergraph.graphsResolving(from.type(), rootField, labels)) {
        if (graph.equals(group.graph)
            || !selectable(graph, from.type(), List.of(path), List.of())) {
          continue;
        }
        Group other =
            rootGroups.computeIfAbsent(
                graph, g -> newGroup(g, List.of(), null, Set.of(), null, null, null, List.of()));
        Ancestor saved = ancestor;
        ancestor = new Ancestor(other, from.type(), List.of(), other.tree, List.of(), List.of());
        planSelections(
            other, from.type().name(), List.of(nested), List.of(), other.tree, List.of());
        ancestor = saved;
        return true;
      }
      return false;
    }

    private boolean isEntity(TypeInfo type) {
      return type.joins().stream().anyMatch(j -> j.key() != null);
    }

    private FieldInfo fieldFor(String typename, String fieldName, FieldInfo fallback) {
      FieldInfo info = supergraph.requireType(typename).fields().get(fieldName);
      return info != null ? info : fallback;
    }

    private Group entityGroup(
        Group parent,
        TypeInfo type,
        EntityRoute route,
        List<String> path,
        SelectionTree parentTarget,
        List<Selection> parentProvided) {
      return entityGroup(parent, type, route, path, parentTarget, parentProvided, "");
    }

    /**
     * The entity fetch for {@code route} below {@code parent} at {@code path}; fetches share one
     * group unless {@code variant} tells them apart, and a group whose required fields are being
     * planned never provides them itself (they need an earlier trip to its subgraph).
     */
    private Group entityGroup(
        Group parent,
        TypeInfo type,
        EntityRoute route,
        List<String> path,
        SelectionTree parentTarget,
        List<Selection> parentProvided,
        String variant) {
      String base =
          route.graph()
              + "|"
              + String.join("/", path)
              + "|"
              + route.typename()
              + "|"
              + parent.id
              + "|"
              + type.name()
              + "|"
              + variant;
      String key = base;
      Group existing = entityGroups.get(key);
      for (int n = 1; existing != null && requiring.contains(existing); n++) {
        key = base + "|earlier" + n;
        existing = entityGroups.get(key);
      }
      if (existing != null) {
        touched.add(existing);
        return existing;
      }
      Group group =
          newGroup(
              route.graph(),
              path,
              route.typename(),
              route.acceptsTypes(),
              parent,
              parentTarget,
              type.name(),
              parentProvided);
      group.dependsOn.add(parent);
      group.route = route;
      entityGroups.put(key, group);
      List<Selection> keyFields = new ArrayList<>();
      keyFields.add(new Selection.Field(null, "__typename", List.of(), List.of(), List.of()));
      keyFields.addAll(fieldSet(route.key()));
      List<Group> saved = touched;
      touched = new ArrayList<>();
      planSelections(parent, type.name(), keyFields, path, parentTarget, parentProvided);
      for (Group provider : touched) {
        // Key parts other subgraphs give are fetched before the representation is built.
        if (provider != group && !dependsOnTransitively(provider, group)) {
          group.dependsOn.add(provider);
        }
      }
      saved.addAll(touched);
      touched = saved;
      SelectionTree representation = group.requires.fragment(route.typename(), List.of());
      addAll(representation, keyFields);
      group.keyFields =
          keyFields.stream()
              .filter(k -> k instanceof Selection.Field f && !f.name().equals("__typename"))
              .map(k -> ((Selection.Field) k).name())
              .toList();
      touched.add(group);
      return group;
    }

    /** Another fetch of the same entities whose representation can hold {@code required}. */
    private Group siblingFor(Group group, TypeInfo type, List<Selection> required) {
      EntityRoute route = Objects.requireNonNull(group.route);
      Group parent = Objects.requireNonNull(group.parent);
      TypeInfo parentType = supergraph.requireType(Objects.requireNonNull(group.parentType));
      for (int n = 1; ; n++) {
        Group sibling =
            entityGroup(
                parent,
                parentType,
                route,
                group.path,
                Objects.requireNonNull(group.parentTarget),
                group.parentProvided,
                "requires" + n);
        if (!sibling.requires.fragment(sibling.entityType, List.of()).conflictsByName(required)) {
          return sibling;
        }
      }
    }

    /** Plans required fields into the parent's context and adds them to the representation. */
    private void addRequirements(Group group, List<Selection> required) {
      if (group.parent == null || group.parentTarget == null || group.parentType == null) {
        return;
      }
      List<Group> saved = touched;
      touched = new ArrayList<>();
      boolean added = requiring.add(group);
      try {
        planSelections(
            group.parent,
            group.parentType,
            required,
            group.path,
            group.parentTarget,
            group.parentProvided);
      } finally {
        if (added) {
          requiring.remove(group);
        }
      }
      for (Group provider : touched) {
        if (provider != group && !dependsOnTransitively(provider, group)) {
          group.dependsOn.add(provider);
        }
      }
      touched = saved;
      addAll(group.requires.fragment(group.entityType, List.of()), required);
    }

    private boolean dependsOnTransitively(Group from, Group target) {
      for (Group dependency : from.dependsOn) {
        if (dependency == target || dependsOnTransitively(dependency, target)) {
          return true;
        }
      }
      return false;
    }

    private void addAll(SelectionTree tree, List<Selection> selections) {
      for (Selection selection : selections) {
        switch (selection) {
          case Selection.Field field -> {
            SelectionTree.FieldEntry entry = tree.field(field);
            if (!field.isLeaf()) {
              addAll(entry.selections, field.selections());
            }
          }
          case Selection.Fragment fragment ->
              addAll(
                  tree.fragment(fragment.typeCondition(), fragment.directives()),
                  fragment.selections());
        }
      }
    }

    /** A subgraph that resolves the field and shares a key with {@code from}. */
    private Optional<EntityRoute> routeTo(
        String from, TypeInfo type, FieldInfo field, List<Selection> provided) {
      return routeTo(from, type, field, provided, null);
    }

    /**
     * A subgraph that resolves the field and shares a key with {@code from}; given the client's
     * selection, the one that resolves the most of it comes first (a subgraph that can give only
     * the start of a value type would need another hop for the rest).
     */
    private Optional<EntityRoute> routeTo(
        String from,
        TypeInfo type,
        FieldInfo field,
        List<Selection> provided,
        Selection.@Nullable Field selection) {
      List<String> candidates = new ArrayList<>(supergraph.graphsResolving(type, field, labels));
      if (selection != null && candidates.size() > 1) {
        Map<String, Integer> reached = new HashMap<>();
        for (String graph : candidates) {
          reached.put(graph, reach(graph, type, List.of(selection), List.of()));
        }
        candidates.sort(Comparator.comparing((String graph) -> reached.get(graph)).reversed());
      }
      if (candidates.isEmpty()) {
        // Fields of an interface object are declared on the interface in the supergraph.
        for (String iface : type.interfaces()) {
          TypeInfo interfaceType = supergraph.requireType(iface);
          FieldInfo interfaceField = interfaceType.fields().get(field.name());
          if (interfaceField != null) {
            candidates.addAll(supergraph.graphsResolving(interfaceType, interfaceField, labels));
          }
        }
      }
      candidates.remove(from);
      for (String graph : candidates) {
        Optional<EntityRoute> route = keyRoute(from, type, graph, provided);
        if (route.isPresent()) {
          return route;
        }
      }
      // No shared key: hop through a subgraph that shares one key with us and another with a
      // subgraph that resolves the field (e.g. sku+vendor here, id there).
      for (Supergraph.Graph intermediate : supergraph.graphs()) {
        String via = intermediate.name();
        if (via.equals(from) || candidates.contains(via)) {
          continue;
        }
        Optional<EntityRoute> hop = keyRoute(from, type, via, provided);
        if (hop.isEmpty()) {
          continue;
        }
        for (String graph : candidates) {
          if (keyRoute(via, type, graph, List.of()).isPresent()) {
            return Optional.of(hop.get().viaIntermediate());
          }
        }
      }
      // A key whose parts other subgraphs give: fetch them first, then the representation.
      for (String graph : candidates) {
        Optional<EntityRoute> route = assembledKeyRoute(from, type, graph, provided);
        if (route.isPresent()) {
          return route;
        }
      }
      return Optional.empty();
    }

    private Optional<EntityRoute> assembledKeyRoute(
        String from, TypeInfo type, String to, List<Selection> provided) {
      if (assembling >= 2) {
        return Optional.empty();
      }
      assembling++;
      try {
        for (TypeJoin join : type.joinsIn(to)) {
          if (join.key() != null
              && join.resolvable()
              && obtainable(from, type, fieldSet(join.key()), provided)) {
            Set<String> acceptsTypes =
                new LinkedHashSet<>(
                    type.kind() == Supergraph.Kind.OBJECT
                        ? Set.of(type.name())
                        : supergraph.possibleTypes(type.name()));
            acceptsTypes.add(type.name());
            return Optional.of(new EntityRoute(to, type.name(), join.key(), acceptsTypes));
          }
        }
        return Optional.empty();
      } finally {
        assembling--;
      }
    }

    /**
     * Whether the selections can be had starting from {@code graph}, through other subgraphs if
     * need be.
     */
    private boolean obtainable(
        String graph, TypeInfo type, List<Selection> selections, List<Selection> provided) {
      for (Selection selection : selections) {
        switch (selection) {
          case Selection.Field field -> {
            if (field.name().equals("__typename")) {
              continue;
            }
            FieldInfo info = type.fields().get(field.name());
            if (info == null) {
              return false;
            }
            String at = graph;
            List<Selection> below = providedBelow(provided, field.name(), type.name());
            if (!canResolve(graph, type, info, provided)) {
              Optional<EntityRoute> route = routeTo(graph, type, info, provided);
              if (route.isEmpty()) {
                return false;
              }
              at = route.get().graph();
              below = List.of();
            }
            if (!field.isLeaf()
                && !obtainable(
                    at, supergraph.requireType(info.typeName()), field.selections(), below)) {
              return false;
            }
          }
          case Selection.Fragment fragment -> {
            String condition = fragment.typeCondition();
            TypeInfo inner = condition == null ? type : supergraph.requireType(condition);
            if (!obtainable(graph, inner, fragment.selections(), provided)) {
              return false;
            }
          }
        }
      }
      return true;
    }

    private Optional<EntityRoute> keyRoute(
        String from, TypeInfo type, String to, List<Selection> provided) {
      Set<String> accepts =
          type.kind() == Supergraph.Kind.OBJECT
              ? Set.of(type.name())
              : new LinkedHashSet<>(supergraph.possibleTypes(type.name()));
      for (TypeJoin join : type.joinsIn(to)) {
        if (join.key() != null
            && join.resolvable()
            && keyAvailable(from, type, join.key(), provided)) {
          Set<String> acceptsTypes = new LinkedHashSet<>(accepts);
          acceptsTypes.add(type.name());
          return Optional.of(new EntityRoute(to, type.name(), join.key(), acceptsTypes));
        }
      }
      // The target sees one of the type's interfaces as an object (@interfaceObject).
      for (String iface : type.interfaces()) {
        TypeInfo interfaceType = supergraph.requireType(iface);
        for (TypeJoin join : interfaceType.joinsIn(to)) {
          if (join.interfaceObject()
              && join.key() != null
              && join.resolvable()
              && keyAvailable(from, type, join.key(), provided)) {
            Set<String> acceptsTypes = new LinkedHashSet<>(supergraph.possibleTypes(iface));
            acceptsTypes.add(iface);
            return Optional.of(new EntityRoute(to, iface, join.key(), acceptsTypes));
          }
        }
      }
      return Optional.empty();
    }

    /** Whether every implementation the subgraph knows resolves the interface field there too. */
    private boolean implementationsAgree(
        String graph, TypeInfo iface, Selection.Field field, List<Selection> provided) {
      if (isInterfaceObjectIn(iface, graph)) {
        return true;
      }
      for (String runtime : possibleTypesIn(graph, iface)) {
        TypeInfo runtimeType = supergraph.requireType(runtime);
        FieldInfo copy = runtimeType.fields().get(field.name());
        if (copy != null && !canResolve(graph, runtimeType, copy, provided)) {
          return false;
        }
      }
      return true;
    }

    private boolean isInterfaceObjectIn(TypeInfo type, String graph) {
      return type.kind() == Supergraph.Kind.INTERFACE
          && type.joinsIn(graph).stream().anyMatch(TypeJoin::interfaceObject);
    }

    /** A route to a subgraph that has the interface as an entity interface (not an object). */
    private Optional<EntityRoute> interfaceOwnerRoute(
        String from, TypeInfo iface, List<Selection> provided) {
      for (String graph : iface.graphs()) {
        if (graph.equals(from)) {
          continue;
        }
        for (TypeJoin join : iface.joinsIn(graph)) {
          if (!join.interfaceObject()
              && join.key() != null
              && join.resolvable()
              && keyAvailable(from, iface, join.key(), provided)) {
            Set<String> accepts = new LinkedHashSet<>(supergraph.possibleTypes(iface.name()));
            accepts.add(iface.name());
            return Optional.of(new EntityRoute(graph, iface.name(), join.key(), accepts));
          }
        }
      }
      return Optional.empty();
    }

    /** Whether subgraph {@code from} can fetch every field of the key (directly or provided). */
    private boolean keyAvailable(String from, TypeInfo type, String key, List<Selection> provided) {
      return selectable(from, type, fieldSet(key), provided);
    }

    private boolean selectable(
        String graph, TypeInfo type, List<Selection> selections, List<Selection> provided) {
      for (Selection selection : selections) {
        if (selection instanceof Selection.Field field) {
          if (field.name().equals("__typename")) {
            continue;
          }
          FieldInfo info = type.fields().get(field.name());
          if (info == null || !canResolve(graph, type, info, provided)) {
            return false;
          }
          if (!field.isLeaf()
              && !selectable(
                  graph,
                  supergraph.requireType(info.typeName()),
                  field.selections(),
                  providedBelow(provided, field.name(), type.name()))) {
            return false;
          }
        } else if (selection instanceof Selection.Fragment fragment) {
          TypeInfo inner =
              fragment.typeCondition() == null
                  ? type
                  : supergraph.requireType(fragment.typeCondition());
          if (!selectable(graph, inner, fragment.selections(), provided)) {
            return false;
          }
        }
      }
      return true;
    }

    private boolean canResolve(
        String graph, TypeInfo type, FieldInfo field, List<Selection> provided) {
      if (supergraph.resolvableIn(type, field, graph, labels)) {
        return true;
      }
      return isProvided(provided, field.name(), type.name())
          && (supergraph.externalIn(field, graph) || knows(graph, type));
    }

    private boolean knows(String graph, TypeInfo type) {
      if (type.graphs().contains(graph)) {
        return true;
      }
      // Fed 1 supergraphs and value types may omit join__type; implementations of an
      // interface the graph knows as an object are reachable too.
      return type.joins().isEmpty();
    }

    private FieldInfo requireField(TypeInfo type, Selection.Field field) {
      FieldInfo info = type.fields().get(field.name());
      if (info == null) {
        throw new PlanningException("type " + type.name() + " has no field " + field.name());
      }
      return info;
    }

    /** The plan: stages of fetches in dependency order; fetches within a stage run in parallel. */
    PlanNode toPlanNode() {
      Map<Group, Integer> depth = new LinkedHashMap<>();
      for (Group group : groups) {
        depthOf(group, depth);
      }
      int maxDepth = depth.values().stream().max(Comparator.naturalOrder()).orElse(0);
      List<PlanNode> stages = new ArrayList<>();
      for (int d = 0; d <= maxDepth; d++) {
        List<PlanNode> stage = new ArrayList<>();
        for (Group group : groups) {
          if (depth.get(group) == d && !group.tree.isEmpty()) {
            stage.add(node(group));
          }
        }
        if (!stage.isEmpty()) {
          stages.add(stage.size() == 1 ? stage.get(0) : new PlanNode.Parallel(stage));
        }
      }
      return stages.size() == 1 ? stages.get(0) : new PlanNode.Sequence(stages);
    }

    private int depthOf(Group group, Map<Group, Integer> depth) {
      Integer known = depth.get(group);
      if (known != null) {
        return known;
      }
      int d = 0;
      for (Group dependency : group.dependsOn) {
        d = Math.max(d, depthOf(dependency, depth) + 1);
      }
      depth.put(group, d);
      return d;
    }

    private PlanNode node(Group group) {
      List<Selection> selections = group.tree.toSelections(false);
      Set<String> variables = new LinkedHashSet<>();
      collectVariables(selections, variables);
      StringBuilder document = new StringBuilder();
      String kind = group.entityType == null ? operation.kind() : "query";
      document.append(kind);
      List<String> declarations = new ArrayList<>();
      if (group.entityType != null) {
        declarations.add("$representations:[_Any!]!");
      }
      for (PlanNode.ContextVariable variable : group.contextVariables.values()) {
        declarations.add("$" + variable.name() + ":" + variable.type());
      }
      for (VariableDefinition definition : operation.variables()) {
        if (variables.contains(definition.getName())) {
          declarations.add(
              "$"
                  + definition.getName()
                  + ":"
                  + graphql.language.AstPrinter.printAstCompact(definition.getType())
                  + (definition.getDefaultValue() == null
                      ? ""
                      : "="
                          + graphql.language.AstPrinter.printAstCompact(
                              definition.getDefaultValue())));
        }
      }
      if (!declarations.isEmpty()) {
        document.append('(').append(String.join(",", declarations)).append(')');
      }
      if (group.entityType == null) {
        Printer.printSet(selections, document);
      } else {
        document.append("{_entities(representations:$representations)");
        Printer.printSet(selections, document);
        document.append('}');
      }
      List<String> usages =
          variables.stream()
              .filter(v -> operation.variables().stream().anyMatch(d -> d.getName().equals(v)))
              .toList();
      PlanNode.Fetch fetch =
          new PlanNode.Fetch(
              group.graph,
              document.toString(),
              kind,
              usages,
              group.entityType,
              group.requires.toSelections(false),
              group.acceptsTypes,
              group.keyFields,
              prefix,
              Map.copyOf(group.renames),
              List.copyOf(group.contextVariables.values()));
      return group.entityType == null ? fetch : new PlanNode.Flatten(group.path, fetch);
    }
  }

  /** A field set without the braces around it: {@code "{ a b }"} becomes {@code " a b "}. */
  static String stripBraces(String selection) {
    String trimmed = selection.trim();
    if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
      return trimmed;
    }
    int depth = 0;
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0 && i < trimmed.length() - 1) {
        // The first brace closes before the end: "{ a } ... on B { b }" is no wrapped set.
        return trimmed;
      }
    }
    return trimmed.substring(1, trimmed.length() - 1);
  }

  private static List<String> append(List<String> path, String key) {
    List<String> result = new ArrayList<>(path.size() + 1);
    result.addAll(path);
    result.add(key);
    return result;
  }

  /**
   * Whether {@code name} on {@code type} is in the provided selection (type conditions honoured).
   */
  private boolean isProvided(List<Selection> provided, String name, String type) {
    for (Selection selection : provided) {
      if (selection instanceof Selection.Field field && field.name().equals(name)) {
        return true;
      }
      if (selection instanceof Selection.Fragment fragment
          && appliesTo(fragment, type)
          && isProvided(fragment.selections(), name, type)) {
        return true;
      }
    }
    return false;
  }

  private List<Selection> providedBelow(List<Selection> provided, String name, String type) {
    List<Selection> result = new ArrayList<>();
    for (Selection selection : provided) {
      if (selection instanceof Selection.Field field && field.name().equals(name)) {
        result.addAll(field.selections());
      } else if (selection instanceof Selection.Fragment fragment && appliesTo(fragment, type)) {
        result.addAll(providedBelow(fragment.selections(), name, type));
      }
    }
    return result;
  }

  /**
   * A provided fragment applies to objects of {@code type} if its condition covers every one of
   * them.
   */
  private boolean appliesTo(Selection.Fragment fragment, String type) {
    String condition = fragment.typeCondition();
    if (condition == null || condition.equals(type)) {
      return true;
    }
    Set<String> runtime = supergraph.possibleTypes(type);
    return !runtime.isEmpty() && supergraph.possibleTypes(condition).containsAll(runtime);
  }

  private static void collectVariables(List<Selection> selections, Set<String> variables) {
    for (Selection selection : selections) {
      for (Directive directive : selection.directives()) {
        directive.getArguments().forEach(a -> collectVariables(a.getValue(), variables));
      }
      switch (selection) {
        case Selection.Field field -> {
          for (Argument argument : field.arguments()) {
            collectVariables(argument.getValue(), variables);
          }
          collectVariables(field.selections(), variables);
        }
        case Selection.Fragment fragment -> collectVariables(fragment.selections(), variables);
      }
    }
  }

  private static void collectVariables(Value<?> value, Set<String> variables) {
    switch (value) {
      case VariableReference reference -> variables.add(reference.getName());
      case ArrayValue array -> array.getValues().forEach(v -> collectVariables(v, variables));
      case ObjectValue object ->
          object.getObjectFields().forEach(f -> collectVariables(f.getValue(), variables));
      default -> {}
    }
  }
}
