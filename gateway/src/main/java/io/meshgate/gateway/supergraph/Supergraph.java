package io.meshgate.gateway.supergraph;

import graphql.language.Argument;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.DirectivesContainer;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValue;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.language.Value;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A supergraph in the standard join-spec form (join v0.1 to v0.5, Federation 1 and 2): the
 * subgraphs, and for every type and field which subgraphs can resolve it and how (keys, requires,
 * provides, external, override, interface objects). Immutable once parsed.
 */
public final class Supergraph {

  private static final Pattern JOIN_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/join/v(\\d+)\\.(\\d+)");
  private static final Pattern INACCESSIBLE_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/inaccessible/v[0-9.]+");
  private static final Pattern TAG_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/tag/v[0-9.]+");
  private static final Pattern COST_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/cost/v[0-9.]+");
  private static final Pattern CONTEXT_URL =
      Pattern.compile("https://specs\\.apollo\\.dev/context/v[0-9.]+");

  /** One subgraph. */
  public record Graph(String enumValue, String name, URI url) {}

  /** A type's presence in one subgraph ({@code @join__type}). */
  public record TypeJoin(
      String graph,
      @Nullable String key,
      boolean extension,
      boolean resolvable,
      boolean interfaceObject) {}

  /**
   * An argument a subgraph's field takes from an ancestor's context instead of from the client
   * ({@code @join__field(contextArguments:)}, join v0.5; {@code @fromContext} in the subgraph).
   *
   * @param context the context's supergraph name (prefixed with its subgraph, e.g. {@code
   *     inventory__userContext}), set with {@code @context(name:)} on ancestor types
   * @param name the argument's name in the subgraph
   * @param type the argument's type as the subgraph declares it, e.g. {@code String!}
   * @param selection the field set evaluated on the ancestor object, e.g. {@code "{ locale }"}; the
   *     value of its single top-level field is the argument's value
   */
  public record ContextArgument(String context, String name, String type, String selection) {}

  /**
   * A field's presence in one subgraph ({@code @join__field}).
   *
   * @param contextArguments arguments the subgraph takes from an ancestor's context (empty if none)
   */
  public record FieldJoin(
      String graph,
      @Nullable String requires,
      @Nullable String provides,
      @Nullable String type,
      boolean external,
      @Nullable String override,
      boolean usedOverridden,
      @Nullable String overrideLabel,
      List<ContextArgument> contextArguments) {

    /** A join that takes no argument from a context. */
    public FieldJoin(
        String graph,
        @Nullable String requires,
        @Nullable String provides,
        @Nullable String type,
        boolean external,
        @Nullable String override,
        boolean usedOverridden,
        @Nullable String overrideLabel) {
      this(
          graph,
          requires,
          provides,
          type,
          external,
          override,
          usedOverridden,
          overrideLabel,
          List.of());
    }

    /**
     * Whether this join takes part with the given progressive-override labels enabled: under a
     * label, the overriding subgraph's join applies while the label is on, the overridden one's
     * while it is off.
     */
    public boolean activeWith(Set<String> labels) {
      return overrideLabel == null || (override != null) == labels.contains(overrideLabel);
    }
  }

  /**
   * A list field's size hints for cost analysis ({@code @listSize} of the cost spec).
   *
   * @param assumedSize the size to assume when no slicing argument says it
   * @param slicingArguments arguments whose value bounds the size (e.g. {@code first})
   * @param sizedFields fields of the returned object whose lists the slicing arguments bound
   * @param requireOneSlicingArgument whether exactly one slicing argument must be given
   */
  public record ListSize(
      @Nullable Integer assumedSize,
      List<String> slicingArguments,
      List<String> sizedFields,
      boolean requireOneSlicingArgument) {}

  /** Kinds of named types. */
  public enum Kind {
    OBJECT,
    INTERFACE,
    UNION,
    ENUM,
    INPUT_OBJECT,
    SCALAR
  }

  /**
   * A field of an object or interface type.
   *
   * @param unresolvable the supergraph marks the field with a {@code @join__field} naming no graph:
   *     no subgraph resolves it on this type (an {@code @interfaceObject} contributes it to the
   *     interface)
   * @param cost the field's {@code @cost(weight:)} (cost spec), if declared
   * @param listSize the field's {@code @listSize}, if declared
   */
  public record FieldInfo(
      String name,
      Type<?> type,
      List<FieldJoin> joins,
      boolean inaccessible,
      boolean unresolvable,
      @Nullable Integer cost,
      @Nullable ListSize listSize) {

    /** The name of the field's innermost (named) type. */
    public String typeName() {
      return unwrap(type);
    }
  }

  /**
   * A named type with its subgraph presence.
   *
   * @param contexts the contexts the type sets ({@code @context(name:)}, names as in the
   *     supergraph)
   */
  public record TypeInfo(
      String name,
      Kind kind,
      Map<String, FieldInfo> fields,
      List<TypeJoin> joins,
      Map<String, Set<String>> implementsByGraph,
      Set<String> interfaces,
      Map<String, Set<String>> unionMembersByGraph,
      Set<String> unionMembers,
      @Nullable String owner,
      boolean inaccessible,
      @Nullable Integer cost,
      Set<String> contexts) {

    /** The subgraphs that know this type. */
    public Set<String> graphs() {
      Set<String> graphs = new LinkedHashSet<>();
      joins.forEach(j -> graphs.add(j.graph()));
      return graphs;
    }

    /** The {@code @join__type} entries of one subgraph (one per key). */
    public List<TypeJoin> joinsIn(String graph) {
      return joins.stream().filter(j -> j.graph().equals(graph)).toList();
    }
  }

  private final String sdl;
  private final Document document;
  private final int joinMajor;
  private final int joinMinor;
  private final Map<String, Graph> graphsByEnum;
  private final Map<String, Graph> graphsByName;
  private final Map<String, TypeInfo> types;
  private final String queryType;
  private final @Nullable String mutationType;
  private final @Nullable String subscriptionType;
  private final String inaccessibleName;
  private final String tagName;

  private Supergraph(
      String sdl,
      Document document,
      int joinMajor,
      int joinMinor,
      Map<String, Graph> graphsByEnum,
      Map<String, TypeInfo> types,
      String queryType,
      @Nullable String mutationType,
      @Nullable String subscriptionType,
      String inaccessibleName,
      String tagName) {
    this.sdl = sdl;
    this.document = document;
    this.joinMajor = joinMajor;
    this.joinMinor = joinMinor;
    this.graphsByEnum = graphsByEnum;
    this.graphsByName = new LinkedHashMap<>();
    graphsByEnum.values().forEach(g -> graphsByName.put(g.name(), g));
    this.types = types;
    this.queryType = queryType;
    this.mutationType = mutationType;
    this.subscriptionType = subscriptionType;
    this.inaccessibleName = inaccessibleName;
    this.tagName = tagName;
  }

  /**
   * Parses a supergraph SDL.
   *
   * @throws SupergraphException naming the problem (syntax, missing join spec, unknown graph)
   */
  public static Supergraph parse(String sdl) {
    Document document;
    try {
      ParserOptions options =
          ParserOptions.newParserOptions()
              .maxTokens(Integer.MAX_VALUE)
              .maxWhitespaceTokens(Integer.MAX_VALUE)
              .maxCharacters(Integer.MAX_VALUE)
              .build();
      document =
          Parser.parse(
              new graphql.parser.ParserEnvironment.Builder()
                  .document(sdl)
                  .parserOptions(options)
                  .build());
    } catch (InvalidSyntaxException e) {
      throw new SupergraphException("supergraph is not valid GraphQL SDL: " + e.getMessage());
    }
    return new Builder(sdl, document).build();
  }

  /** The SDL this supergraph was parsed from. */
  public String sdl() {
    return sdl;
  }

  /** The parsed SDL. */
  public Document document() {
    return document;
  }

  /** Version of the join spec, e.g. {@code 0.3}. */
  public String joinVersion() {
    return joinMajor + "." + joinMinor;
  }

  /** Every subgraph, in declaration order. */
  public Collection<Graph> graphs() {
    return graphsByName.values();
  }

  /** A subgraph by name. */
  public Optional<Graph> graph(String name) {
    return Optional.ofNullable(graphsByName.get(name));
  }

  /** A type by name. */
  public Optional<TypeInfo> type(String name) {
    return Optional.ofNullable(types.get(name));
  }

  /** A type that must exist. */
  public TypeInfo requireType(String name) {
    TypeInfo type = types.get(name);
    if (type == null) {
      throw new SupergraphException("unknown type " + name);
    }
    return type;
  }

  /** Every type. */
  public Collection<TypeInfo> types() {
    return types.values();
  }

  public String queryType() {
    return queryType;
  }

  public @Nullable String mutationType() {
    return mutationType;
  }

  public @Nullable String subscriptionType() {
    return subscriptionType;
  }

  /** Name of the inaccessible directive in this supergraph. */
  public String inaccessibleDirective() {
    return inaccessibleName;
  }

  /** Name of the tag directive in this supergraph. */
  public String tagDirective() {
    return tagName;
  }

  /**
   * Object types that implement or belong to the abstract type {@code name} (itself if an object).
   */
  public Set<String> possibleTypes(String name) {
    TypeInfo type = types.get(name);
    Set<String> result = new LinkedHashSet<>();
    if (type == null) {
      return result;
    }
    switch (type.kind()) {
      case OBJECT -> result.add(name);
      case UNION -> result.addAll(type.unionMembers());
      case INTERFACE -> {
        for (TypeInfo candidate : types.values()) {
          if (candidate.kind() == Kind.OBJECT && candidate.interfaces().contains(name)) {
            result.add(candidate.name());
          }
        }
      }
      default -> {}
    }
    return result;
  }

  /**
   * Whether subgraph {@code graph} can resolve {@code field} of {@code type} by itself (not only as
   * an external or overridden copy).
   */
  public boolean resolvableIn(TypeInfo type, FieldInfo field, String graph) {
    return resolvableIn(type, field, graph, Set.of());
  }

  /**
   * Whether subgraph {@code graph} can resolve the field by itself with the given
   * progressive-override labels enabled.
   */
  public boolean resolvableIn(TypeInfo type, FieldInfo field, String graph, Set<String> labels) {
    if (field.unresolvable()) {
      return false;
    }
    if (field.joins().isEmpty()) {
      if (type.owner() != null && !isRootType(type.name())) {
        return type.owner().equals(graph);
      }
      return type.graphs().contains(graph);
    }
    boolean declared = false;
    for (FieldJoin join : field.joins()) {
      if (join.graph().equals(graph)) {
        if (!join.external() && !join.usedOverridden() && join.activeWith(labels)) {
          return true;
        }
        declared = true;
      }
    }
    // A subgraph can give the fields of its own keys (Federation 1 supergraphs list them only
    // under the owner's @join__field), unless it marks them external: then only others can.
    return !declared && isKeyField(type, field.name(), graph);
  }

  private boolean isKeyField(TypeInfo type, String field, String graph) {
    for (TypeJoin join : type.joins()) {
      if (join.graph().equals(graph)
          && join.key() != null
          && topLevelFields(join.key()).contains(field)) {
        return true;
      }
    }
    return false;
  }

  /** Top-level field names of a field set such as {@code "id sku { a b }"}. */
  static List<String> topLevelFields(String fieldSet) {
    List<String> names = new ArrayList<>();
    int depth = 0;
    StringBuilder current = new StringBuilder();
    for (char c : (fieldSet + " ").toCharArray()) {
      if (c == '{' || c == '(') {
        if (depth == 0 && current.length() > 0) {
          names.add(current.toString());
        }
        current.setLength(0);
        depth++;
      } else if (c == '}' || c == ')') {
        depth--;
      } else if (Character.isWhitespace(c) || c == ',') {
        if (depth == 0 && current.length() > 0) {
          names.add(current.toString());
        }
        current.setLength(0);
      } else if (depth == 0) {
        current.append(c);
      }
    }
    return names;
  }

  /** Whether {@code graph} declares the field as external (resolvable only where provided). */
  public boolean externalIn(FieldInfo field, String graph) {
    return field.joins().stream().anyMatch(j -> j.graph().equals(graph) && j.external());
  }

  /** The {@code @join__field} of a field in one subgraph. */
  public Optional<FieldJoin> fieldJoin(FieldInfo field, String graph) {
    return field.joins().stream().filter(j -> j.graph().equals(graph)).findFirst();
  }

  /** Subgraphs that can resolve the field, in declaration order. */
  public List<String> graphsResolving(TypeInfo type, FieldInfo field) {
    return graphsResolving(type, field, Set.of());
  }

  /** Subgraphs that can resolve the field with the given progressive-override labels enabled. */
  public List<String> graphsResolving(TypeInfo type, FieldInfo field, Set<String> labels) {
    List<String> result = new ArrayList<>();
    for (Graph graph : graphsByName.values()) {
      if (resolvableIn(type, field, graph.name(), labels)) {
        result.add(graph.name());
      }
    }
    return result;
  }

  /** Every progressive-override label of the supergraph ({@code @join__field(overrideLabel:)}). */
  public Set<String> overrideLabels() {
    Set<String> labels = new TreeSet<>();
    for (TypeInfo type : types.values()) {
      for (FieldInfo field : type.fields().values()) {
        for (FieldJoin join : field.joins()) {
          if (join.overrideLabel() != null) {
            labels.add(join.overrideLabel());
          }
        }
      }
    }
    return labels;
  }

  /** Whether {@code name} is a root operation type. */
  public boolean isRootType(String name) {
    return name.equals(queryType) || name.equals(mutationType) || name.equals(subscriptionType);
  }

  static String unwrap(Type<?> type) {
    Type<?> current = type;
    while (!(current instanceof TypeName)) {
      current = current instanceof NonNullType nn ? nn.getType() : ((ListType) current).getType();
    }
    return ((TypeName) current).getName();
  }

  /** Builds the model from the SDL's join directives. */
  private static final class Builder {
    private final String sdl;
    private final Document document;
    private String joinPrefix = "join__";
    private String inaccessible = "inaccessible";
    private String tag = "tag";
    private String cost = "cost__cost";
    private String listSize = "cost__listSize";
    private String context = "context";
    private int major = -1;
    private int minor = -1;

    Builder(String sdl, Document document) {
      this.sdl = sdl;
      this.document = document;
    }

    Supergraph build() {
      String query = "Query";
      String mutation = null;
      String subscription = null;
      boolean hasMutationType = false;
      boolean hasSubscriptionType = false;
      for (var definition : document.getDefinitions()) {
        if (definition instanceof SchemaDefinition schema) {
          readLinks(schema);
          for (var op : schema.getOperationTypeDefinitions()) {
            switch (op.getName()) {
              case "query" -> query = op.getTypeName().getName();
              case "mutation" -> mutation = op.getTypeName().getName();
              case "subscription" -> subscription = op.getTypeName().getName();
              default -> {}
            }
          }
        }
      }
      if (major < 0) {
        throw new SupergraphException(
            "not a supergraph: no @link (or @core) to the join spec "
                + "https://specs.apollo.dev/join/v0.x on the schema definition");
      }
      Map<String, Graph> graphs = readGraphs();
      Map<String, TypeInfo> types = new LinkedHashMap<>();
      for (var definition : document.getDefinitions()) {
        if (!(definition instanceof TypeDefinition<?> type) || isSpecType(type.getName())) {
          continue;
        }
        TypeInfo info = readType(type, graphs);
        types.put(info.name(), info);
        if (info.name().equals("Mutation")) {
          hasMutationType = true;
        }
        if (info.name().equals("Subscription")) {
          hasSubscriptionType = true;
        }
      }
      if (mutation == null && hasMutationType) {
        mutation = "Mutation";
      }
      if (subscription == null && hasSubscriptionType) {
        subscription = "Subscription";
      }
      if (!types.containsKey(query)) {
        throw new SupergraphException("supergraph has no query type " + query);
      }
      return new Supergraph(
          sdl,
          document,
          major,
          minor,
          graphs,
          types,
          query,
          mutation,
          subscription,
          inaccessible,
          tag);
    }

    private void readLinks(SchemaDefinition schema) {
      for (Directive directive : schema.getDirectives()) {
        String url = stringArg(directive, directive.getName().equals("core") ? "feature" : "url");
        if (url == null) {
          continue;
        }
        String as = stringArg(directive, "as");
        Matcher join = JOIN_URL.matcher(url);
        if (join.lookingAt()) {
          major = Integer.parseInt(join.group(1));
          minor = Integer.parseInt(join.group(2));
          if (as != null) {
            joinPrefix = as + "__";
          }
        } else if (INACCESSIBLE_URL.matcher(url).lookingAt() && as != null) {
          inaccessible = as;
        } else if (TAG_URL.matcher(url).lookingAt() && as != null) {
          tag = as;
        } else if (CONTEXT_URL.matcher(url).lookingAt()) {
          // The spec's own directive is @context unless renamed (as:) or imported under another
          // name.
          context = as == null ? "context" : as;
          Argument imports = directive.getArgument("import");
          if (imports != null && imports.getValue() instanceof graphql.language.ArrayValue array) {
            for (Value<?> value : array.getValues()) {
              String[] imported = importedName(value);
              if (imported != null && imported[0].equals("@context")) {
                context = imported[1].substring(1);
              }
            }
          }
        } else if (COST_URL.matcher(url).lookingAt()) {
          String prefix = (as == null ? "cost" : as) + "__";
          cost = prefix + "cost";
          listSize = prefix + "listSize";
          Argument imports = directive.getArgument("import");
          if (imports != null && imports.getValue() instanceof graphql.language.ArrayValue array) {
            for (Value<?> value : array.getValues()) {
              String[] imported = importedName(value);
              if (imported != null && imported[0].equals("@cost")) {
                cost = imported[1].substring(1);
              } else if (imported != null && imported[0].equals("@listSize")) {
                listSize = imported[1].substring(1);
              }
            }
          }
        }
      }
    }

    /** An {@code import} entry of {@code @link}: its name and local name, or null. */
    private static String @Nullable [] importedName(Value<?> value) {
      if (value instanceof StringValue string) {
        return new String[] {string.getValue(), string.getValue()};
      }
      if (value instanceof graphql.language.ObjectValue object) {
        String name = null;
        String as = null;
        for (var field : object.getObjectFields()) {
          if (field.getValue() instanceof StringValue string && field.getName().equals("name")) {
            name = string.getValue();
          } else if (field.getValue() instanceof StringValue string
              && field.getName().equals("as")) {
            as = string.getValue();
          }
        }
        return name == null ? null : new String[] {name, as == null ? name : as};
      }
      return null;
    }

    private @Nullable Integer costOf(DirectivesContainer<?> node) {
      for (Directive directive : node.getDirectives(cost)) {
        Argument weight = directive.getArgument("weight");
        if (weight != null && weight.getValue() instanceof graphql.language.IntValue value) {
          return value.getValue().intValueExact();
        }
      }
      return null;
    }

    private @Nullable ListSize listSizeOf(FieldDefinition field) {
      for (Directive directive : field.getDirectives(listSize)) {
        Argument assumed = directive.getArgument("assumedSize");
        Integer assumedSize =
            assumed != null && assumed.getValue() instanceof graphql.language.IntValue value
                ? value.getValue().intValueExact()
                : null;
        return new ListSize(
            assumedSize,
            strings(directive.getArgument("slicingArguments")),
            strings(directive.getArgument("sizedFields")),
            boolArg(directive, "requireOneSlicingArgument", true));
      }
      return null;
    }

    private static List<String> strings(@Nullable Argument argument) {
      List<String> result = new ArrayList<>();
      if (argument != null && argument.getValue() instanceof graphql.language.ArrayValue array) {
        for (Value<?> value : array.getValues()) {
          if (value instanceof StringValue string) {
            result.add(string.getValue());
          }
        }
      }
      return List.copyOf(result);
    }

    private boolean isSpecType(String name) {
      return name.startsWith(joinPrefix)
          || name.startsWith("link__")
          || name.startsWith("core__")
          || name.equals("link__Import")
          || name.startsWith("join__")
          // The access specs' own scalars (requiresScopes__Scope, policy__Policy) are not API.
          || name.startsWith("requiresScopes__")
          || name.startsWith("policy__");
    }

    private Map<String, Graph> readGraphs() {
      Map<String, Graph> graphs = new LinkedHashMap<>();
      for (var definition : document.getDefinitions()) {
        if (definition instanceof EnumTypeDefinition e
            && e.getName().equals(joinPrefix + "Graph")) {
          for (EnumValueDefinition value : e.getEnumValueDefinitions()) {
            Directive graph =
                value.getDirectives(joinPrefix + "graph").stream()
                    .findFirst()
                    .orElseThrow(
                        () ->
                            new SupergraphException(
                                "graph " + value.getName() + " has no @" + joinPrefix + "graph"));
            String name = stringArg(graph, "name");
            String url = stringArg(graph, "url");
            if (name == null || url == null) {
              throw new SupergraphException(
                  "@" + joinPrefix + "graph of " + value.getName() + " needs name and url");
            }
            URI uri;
            try {
              uri = URI.create(url);
            } catch (IllegalArgumentException ex) {
              throw new SupergraphException("subgraph " + name + " has an invalid url: " + url);
            }
            graphs.put(value.getName(), new Graph(value.getName(), name, uri));
          }
        }
      }
      if (graphs.isEmpty()) {
        throw new SupergraphException(
            "supergraph declares no subgraph (enum " + joinPrefix + "Graph)");
      }
      return graphs;
    }

    private TypeInfo readType(TypeDefinition<?> type, Map<String, Graph> graphs) {
      Kind kind =
          switch (type) {
            case ObjectTypeDefinition ignored -> Kind.OBJECT;
            case InterfaceTypeDefinition ignored -> Kind.INTERFACE;
            case UnionTypeDefinition ignored -> Kind.UNION;
            case EnumTypeDefinition ignored -> Kind.ENUM;
            case InputObjectTypeDefinition ignored -> Kind.INPUT_OBJECT;
            case ScalarTypeDefinition ignored -> Kind.SCALAR;
            default -> throw new SupergraphException("unsupported definition " + type.getName());
          };
      List<TypeJoin> joins = new ArrayList<>();
      for (Directive d : directives(type, "type")) {
        joins.add(
            new TypeJoin(
                graphName(d, graphs),
                stringArg(d, "key"),
                boolArg(d, "extension", false),
                boolArg(d, "resolvable", true),
                boolArg(d, "isInterfaceObject", false)));
      }
      String owner = null;
      for (Directive d : directives(type, "owner")) {
        owner = graphName(d, graphs);
      }
      Map<String, FieldInfo> fields = new LinkedHashMap<>();
      Set<String> interfaces = new LinkedHashSet<>();
      Map<String, Set<String>> implementsByGraph = new LinkedHashMap<>();
      Map<String, Set<String>> unionByGraph = new LinkedHashMap<>();
      Set<String> unionMembers = new LinkedHashSet<>();
      if (type instanceof ImplementingTypeDefinition<?> implementing) {
        for (FieldDefinition field : implementing.getFieldDefinitions()) {
          List<FieldJoin> fieldJoins = new ArrayList<>();
          boolean graphless = false;
          for (Directive d : field.getDirectives(joinPrefix + "field")) {
            String graph = d.getArgument("graph") == null ? null : graphName(d, graphs);
            if (graph == null) {
              graphless = true;
              continue;
            }
            fieldJoins.add(
                new FieldJoin(
                    graph,
                    stringArg(d, "requires"),
                    stringArg(d, "provides"),
                    stringArg(d, "type"),
                    boolArg(d, "external", false),
                    stringArg(d, "override"),
                    boolArg(d, "usedOverridden", false),
                    stringArg(d, "overrideLabel"),
                    contextArguments(d)));
          }
          fields.put(
              field.getName(),
              new FieldInfo(
                  field.getName(),
                  field.getType(),
                  List.copyOf(fieldJoins),
                  field.hasDirective(inaccessible),
                  graphless && fieldJoins.isEmpty(),
                  costOf(field),
                  listSizeOf(field)));
        }
        implementing.getImplements().forEach(t -> interfaces.add(((TypeName) t).getName()));
        for (Directive d : directives(type, "implements")) {
          implementsByGraph
              .computeIfAbsent(graphName(d, graphs), g -> new LinkedHashSet<>())
              .add(stringArg(d, "interface"));
        }
      }
      if (type instanceof UnionTypeDefinition union) {
        union.getMemberTypes().forEach(t -> unionMembers.add(((TypeName) t).getName()));
        for (Directive d : directives(type, "unionMember")) {
          unionByGraph
              .computeIfAbsent(graphName(d, graphs), g -> new LinkedHashSet<>())
              .add(stringArg(d, "member"));
        }
      }
      if (type instanceof InputObjectTypeDefinition input) {
        for (InputValueDefinition field : input.getInputValueDefinitions()) {
          fields.put(
              field.getName(),
              new FieldInfo(
                  field.getName(),
                  field.getType(),
                  List.of(),
                  field.hasDirective(inaccessible),
                  false,
                  costOf(field),
                  null));
        }
      }
      Set<String> contexts = new LinkedHashSet<>();
      for (Directive d : ((DirectivesContainer<?>) type).getDirectives(context)) {
        String name = stringArg(d, "name");
        if (name != null) {
          contexts.add(name);
        }
      }
      return new TypeInfo(
          type.getName(),
          kind,
          fields,
          List.copyOf(joins),
          implementsByGraph,
          interfaces,
          unionByGraph,
          unionMembers,
          owner,
          ((DirectivesContainer<?>) type).hasDirective(inaccessible),
          costOf((DirectivesContainer<?>) type),
          Set.copyOf(contexts));
    }

    /**
     * The {@code contextArguments} of a {@code @join__field}: a list of {@code
     * join__ContextArgument} objects.
     */
    private List<ContextArgument> contextArguments(Directive join) {
      Argument argument = join.getArgument("contextArguments");
      if (argument == null) {
        return List.of();
      }
      // A single object is a list of one (GraphQL input coercion).
      List<Value> values =
          argument.getValue() instanceof graphql.language.ArrayValue array
              ? array.getValues()
              : List.of(argument.getValue());
      List<ContextArgument> result = new ArrayList<>();
      for (Value<?> value : values) {
        if (!(value instanceof graphql.language.ObjectValue object)) {
          throw new SupergraphException("@" + join.getName() + "(contextArguments:) needs objects");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (var field : object.getObjectFields()) {
          if (field.getValue() instanceof StringValue string) {
            fields.put(field.getName(), string.getValue());
          }
        }
        String name = fields.get("name");
        String context = fields.get("context");
        String type = fields.get("type");
        String selection = fields.get("selection");
        if (name == null || context == null || type == null || selection == null) {
          throw new SupergraphException(
              "@"
                  + join.getName()
                  + "(contextArguments:) needs name, type, context and selection, got "
                  + fields.keySet());
        }
        result.add(new ContextArgument(context, name, type, selection));
      }
      return List.copyOf(result);
    }

    private List<Directive> directives(TypeDefinition<?> type, String name) {
      return ((DirectivesContainer<?>) type).getDirectives(joinPrefix + name);
    }

    private String graphName(Directive directive, Map<String, Graph> graphs) {
      Argument argument = directive.getArgument("graph");
      if (argument == null || !(argument.getValue() instanceof EnumValue value)) {
        throw new SupergraphException("@" + directive.getName() + " needs a graph argument");
      }
      Graph graph = graphs.get(value.getName());
      if (graph == null) {
        throw new SupergraphException(
            "@" + directive.getName() + " names unknown graph " + value.getName());
      }
      return graph.name();
    }
  }

  static @Nullable String stringArg(Directive directive, String name) {
    Argument argument = directive.getArgument(name);
    if (argument == null) {
      return null;
    }
    Value<?> value = argument.getValue();
    return value instanceof StringValue s ? s.getValue() : null;
  }

  static boolean boolArg(Directive directive, String name, boolean fallback) {
    Argument argument = directive.getArgument(name);
    if (argument == null) {
      return fallback;
    }
    return argument.getValue() instanceof BooleanValue b ? b.isValue() : fallback;
  }
}
