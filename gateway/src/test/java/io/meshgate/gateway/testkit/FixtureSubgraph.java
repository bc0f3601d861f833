package io.meshgate.gateway.testkit;

import com.apollographql.federation.graphqljava.Federation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.TypeResolutionEnvironment;
import graphql.execution.DataFetcherResult;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FieldDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.parser.Parser;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Federation v2 subgraph made of an SDL and a JSON data file, with no code of its own:
 * federation-jvm adds {@code _service} and {@code _entities}, and every field answers from the
 * data. The format ({@value #FORMAT}) is described in {@code
 * src/test/resources/federation-cases/README.md}; in short, root fields answer from {@code "Query"}
 * and {@code "Mutation"}, {@code _entities} finds {@code "entities"} by the type's {@code @key}
 * field sets, and a few {@code $}-directives compute values ({@code $entity}, {@code $byArgs},
 * {@code $template}, {@code $lookup}, {@code $state}, {@code $error}).
 */
public final class FixtureSubgraph {

  /** The format name and version a data file must declare under {@code "format"}. */
  public static final String FORMAT = "meshgate-fixture-subgraph/1";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");
  private static final String ARGS_PREFIX = "$args.";
  private static final Set<String> BUILT_IN_TYPES =
      Set.of(
          "_Any",
          "_Entity",
          "_Service",
          "_FieldSet",
          "FieldSet",
          "federation__FieldSet",
          "federation__Scope",
          "federation__Policy",
          "link__Import",
          "link__Purpose");
  private static final Set<String> BUILT_IN_ROOT_FIELDS = Set.of("_entities", "_service");
  private static final Set<String> BUILT_IN_DIRECTIVES =
      Set.of(
          "link",
          "key",
          "requires",
          "provides",
          "external",
          "shareable",
          "extends",
          "override",
          "inaccessible",
          "tag",
          "interfaceObject",
          "composeDirective",
          "authenticated",
          "requiresScopes",
          "policy");

  private final String name;
  private final FixtureState state;
  private final Map<String, ObjectNode> roots = new LinkedHashMap<>();
  private final Map<String, List<SelectionSet>> keys = new LinkedHashMap<>();
  private final Map<String, Set<String>> interfaces = new LinkedHashMap<>();
  private final Map<String, List<ObjectNode>> entities = new LinkedHashMap<>();

  /** A value the data declares to be an error, or a computation the data cannot complete. */
  private static final class FixtureError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FixtureError(String message) {
      super(message, null, false, false);
    }
  }

  private FixtureSubgraph(String name, Document sdl, JsonNode data, FixtureState state) {
    this.name = name;
    this.state = state;
    readTypes(sdl);
    for (String root : List.of("Query", "Mutation")) {
      if (data.get(root) instanceof ObjectNode object) {
        roots.put(root, object);
      }
    }
    indexEntities(data.path("entities"));
  }

  /**
   * The executable subgraph schema.
   *
   * @param name the subgraph's name, used in error messages
   * @param sdl the subgraph SDL as its author writes it (Federation v2, with {@code @link})
   * @param data the data file's content
   * @param state the state shared by the case's subgraphs
   * @throws IllegalArgumentException when the data does not declare {@value #FORMAT}
   */
  public static GraphQLSchema schema(String name, String sdl, JsonNode data, FixtureState state) {
    if (!FORMAT.equals(data.path("format").asText())) {
      throw new IllegalArgumentException(
          "fixture data of subgraph "
              + name
              + " must declare \"format\": \""
              + FORMAT
              + "\", not "
              + data.path("format"));
    }
    Document document = Parser.parse(sdl);
    Document own = withBaseTypes(withoutBuiltIns(document));
    FixtureSubgraph fixture = new FixtureSubgraph(name, own, data, state);
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring().wiringFactory(fixture.new Wiring()).build();
    GraphQLSchema schema =
        Federation.transform(own == document ? sdl : AstPrinter.printAst(own), wiring)
            .fetchEntities(fixture::fetchEntities)
            .resolveEntityType(fixture::resolveType)
            .build();
    if (own == document) {
      return schema;
    }
    // An SDL that prints federation's own definitions (as many subgraph libraries do) is also what
    // _service answers.
    return schema.transform(
        builder ->
            builder.codeRegistry(
                schema
                    .getCodeRegistry()
                    .transform(
                        code ->
                            code.dataFetcher(
                                FieldCoordinates.coordinates("_Service", "sdl"),
                                (DataFetcher<String>) env -> sdl))));
  }

  /**
   * The SDL without the definitions federation-jvm adds itself ({@code _Any}, {@code _Entity},
   * {@code _Service}, {@code Query._entities} / {@code _service}, the field set scalars, the {@code
   * link__} types and the federation and link directives), which it would reject as duplicates; the
   * same document when it has none of them.
   */
  @SuppressWarnings("rawtypes") // Document.Builder takes a raw List<Definition>
  private static Document withoutBuiltIns(Document sdl) {
    List<Definition> kept = new ArrayList<>();
    for (Definition<?> definition : sdl.getDefinitions()) {
      if (definition instanceof DirectiveDefinition directive
              && (BUILT_IN_DIRECTIVES.contains(directive.getName())
                  || directive.getName().startsWith("federation__"))
          || definition instanceof TypeDefinition<?> type
              && BUILT_IN_TYPES.contains(type.getName())) {
        continue;
      }
      if (definition instanceof ObjectTypeDefinition object
          && object.getFieldDefinitions().stream()
              .anyMatch(f -> BUILT_IN_ROOT_FIELDS.contains(f.getName()))) {
        List<FieldDefinition> fields =
            object.getFieldDefinitions().stream()
                .filter(f -> !BUILT_IN_ROOT_FIELDS.contains(f.getName()))
                .toList();
        if (object instanceof ObjectTypeExtensionDefinition extension) {
          if (!fields.isEmpty()) {
            kept.add(extension.transformExtension(b -> b.fieldDefinitions(fields)));
          }
        } else {
          kept.add(object.transform(b -> b.fieldDefinitions(fields)));
        }
        continue;
      }
      kept.add(definition);
    }
    return kept.equals(sdl.getDefinitions()) ? sdl : sdl.transform(b -> b.definitions(kept));
  }

  /**
   * The SDL with each object type extension that has no base type (Federation 1's {@code extend
   * type Account @key(...)} of a type another subgraph owns, which graphql-java rejects) made a
   * definition; the same document when there are none. Only the executable schema changes: {@code
   * _service} still answers the text as written.
   */
  @SuppressWarnings("rawtypes") // Document.Builder takes a raw List<Definition>
  private static Document withBaseTypes(Document sdl) {
    Set<String> defined = new LinkedHashSet<>();
    for (Definition<?> definition : sdl.getDefinitions()) {
      if (definition instanceof TypeDefinition<?> type
          && !(definition instanceof ObjectTypeExtensionDefinition)) {
        defined.add(type.getName());
      }
    }
    List<Definition> kept = new ArrayList<>();
    for (Definition<?> definition : sdl.getDefinitions()) {
      if (definition instanceof ObjectTypeExtensionDefinition extension
          && defined.add(extension.getName())) {
        kept.add(
            ObjectTypeDefinition.newObjectTypeDefinition()
                .name(extension.getName())
                .implementz(extension.getImplements())
                .directives(extension.getDirectives())
                .fieldDefinitions(extension.getFieldDefinitions())
                .build());
        continue;
      }
      kept.add(definition);
    }
    return kept.equals(sdl.getDefinitions()) ? sdl : sdl.transform(b -> b.definitions(kept));
  }

  /**
   * Every field answers from the data; every abstract type resolves by the object's {@code
   * __typename}.
   */
  private final class Wiring implements WiringFactory {

    @Override
    public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
      return true;
    }

    @Override
    public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
      return FixtureSubgraph.this::resolveType;
    }

    @Override
    public boolean providesTypeResolver(UnionWiringEnvironment environment) {
      return true;
    }

    @Override
    public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
      return FixtureSubgraph.this::resolveType;
    }

    @Override
    public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
      return FixtureSubgraph.this::fetch;
    }
  }

  // ---- schema facts ---------------------------------------------------------------------------

  private void readTypes(Document sdl) {
    for (var definition : sdl.getDefinitions()) {
      if (!(definition instanceof TypeDefinition<?> type)) {
        continue;
      }
      List<Directive> directives =
          switch (type) {
            case ObjectTypeDefinition object -> {
              object
                  .getImplements()
                  .forEach(
                      i ->
                          interfaces
                              .computeIfAbsent(object.getName(), n -> new LinkedHashSet<>())
                              .add(((TypeName) i).getName()));
              yield object.getDirectives();
            }
            case InterfaceTypeDefinition iface -> iface.getDirectives();
            default -> List.of();
          };
      for (Directive directive : directives) {
        if ((directive.getName().equals("key") || directive.getName().endsWith("__key"))
            && directive.getArgument("fields") != null
            && directive.getArgument("fields").getValue() instanceof StringValue fields) {
          keys.computeIfAbsent(type.getName(), n -> new ArrayList<>())
              .add(fieldSet(fields.getValue()));
        }
      }
    }
  }

  private static SelectionSet fieldSet(String fields) {
    return Parser.parse("{" + fields + "}")
        .getDefinitionsOfType(OperationDefinition.class)
        .get(0)
        .getSelectionSet();
  }

  /**
   * Indexes each entity under its list's type, its own {@code __typename} and that type's
   * interfaces.
   */
  private void indexEntities(JsonNode lists) {
    for (Map.Entry<String, JsonNode> list : lists.properties()) {
      for (JsonNode item : list.getValue()) {
        if (!(item instanceof ObjectNode object)) {
          throw new IllegalArgumentException(
              "subgraph " + name + ": entities." + list.getKey() + " holds a non-object " + item);
        }
        ObjectNode entity = object.deepCopy();
        if (!entity.has("__typename")) {
          entity.put("__typename", list.getKey());
        }
        String concrete = entity.get("__typename").asText();
        Set<String> names = new LinkedHashSet<>(List.of(list.getKey(), concrete));
        names.addAll(interfaces.getOrDefault(concrete, Set.of()));
        names.forEach(n -> entities.computeIfAbsent(n, k -> new ArrayList<>()).add(entity));
      }
    }
  }

  // ---- execution ------------------------------------------------------------------------------

  private @Nullable Object fetch(DataFetchingEnvironment env) {
    ObjectNode source =
        env.getSource() instanceof ObjectNode object
            ? object
            : roots.get(((GraphQLNamedType) env.getParentType()).getName());
    if (source == null) {
      return null;
    }
    try {
      return toJava(evaluate(source.get(env.getField().getName()), source, env));
    } catch (FixtureError e) {
      return DataFetcherResult.newResult()
          .error(GraphqlErrorBuilder.newError(env).message(e.getMessage()).build())
          .build();
    }
  }

  private DataFetcherResult<List<@Nullable Object>> fetchEntities(DataFetchingEnvironment env) {
    List<Map<String, Object>> representations = env.getArgument("representations");
    List<@Nullable Object> result = new ArrayList<>();
    List<GraphQLError> errors = new ArrayList<>();
    for (Map<String, Object> value :
        representations == null ? List.<Map<String, Object>>of() : representations) {
      ObjectNode representation = JSON.valueToTree(value);
      Optional<ObjectNode> entity = find(representation);
      if (entity.isEmpty()) {
        errors.add(
            GraphqlErrorBuilder.newError(env)
                .message("subgraph %s has no entity for representation %s", name, representation)
                .path(env.getExecutionStepInfo().getPath().segment(result.size()))
                .build());
        result.add(null);
        continue;
      }
      // The representation carries the @requires fields; the subgraph's own data wins for the rest.
      ObjectNode merged = representation.deepCopy();
      merged.setAll(entity.get());
      result.add(merged);
    }
    return DataFetcherResult.<List<@Nullable Object>>newResult()
        .data(result)
        .errors(errors)
        .build();
  }

  private GraphQLObjectType resolveType(TypeResolutionEnvironment env) {
    Object object = env.getObject();
    String typename =
        object instanceof ObjectNode node ? node.path("__typename").asText(null) : null;
    if (typename == null) {
      throw new IllegalStateException(
          "subgraph " + name + ": a value of an abstract type needs __typename: " + object);
    }
    GraphQLObjectType type = env.getSchema().getObjectType(typename);
    if (type == null) {
      throw new IllegalStateException("subgraph " + name + " has no object type " + typename);
    }
    return type;
  }

  /** The entity the representation names by one of its type's keys. */
  private Optional<ObjectNode> find(ObjectNode representation) {
    String typename = representation.path("__typename").asText("");
    for (SelectionSet key : keys.getOrDefault(typename, List.of())) {
      if (!covers(representation, key)) {
        continue;
      }
      for (ObjectNode candidate : entities.getOrDefault(typename, List.of())) {
        if (matches(candidate, representation, key)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean covers(JsonNode value, SelectionSet key) {
    for (Field field : key.getSelectionsOfType(Field.class)) {
      JsonNode child = value.get(field.getName());
      if (child == null) {
        return false;
      }
      if (field.getSelectionSet() != null
          && child.isObject()
          && !covers(child, field.getSelectionSet())) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(JsonNode candidate, JsonNode representation, SelectionSet key) {
    for (Field field : key.getSelectionsOfType(Field.class)) {
      JsonNode mine = candidate.get(field.getName());
      JsonNode theirs = representation.get(field.getName());
      if (mine == null || theirs == null || mine.isNull() || theirs.isNull()) {
        return false;
      }
      boolean same =
          field.getSelectionSet() != null
              ? mine.isObject()
                  && theirs.isObject()
                  && matches(mine, theirs, field.getSelectionSet())
              : mine.isValueNode() && theirs.isValueNode() && mine.asText().equals(theirs.asText());
      if (!same) {
        return false;
      }
    }
    return true;
  }

  /**
   * Evaluates a data value: {@code $}-directives compute, lists evaluate their elements, the rest
   * is as written.
   */
  private @Nullable JsonNode evaluate(
      @Nullable JsonNode raw, ObjectNode source, DataFetchingEnvironment env) {
    if (raw == null || raw.isNull()) {
      return null;
    }
    if (raw instanceof ArrayNode array) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode element : array) {
        JsonNode value = evaluate(element, source, env);
        out.add(value == null ? NODES.nullNode() : value);
      }
      return out;
    }
    if (!(raw instanceof ObjectNode object)) {
      return raw;
    }
    if (object.has("$error")) {
      throw new FixtureError(object.get("$error").asText());
    }
    if (object.has("$entity")) {
      return reference(object, source, env);
    }
    if (object.has("$byArgs")) {
      return evaluate(byArgs(object, env), source, env);
    }
    if (object.has("$template")) {
      return TextNode.valueOf(template(object.get("$template").asText(), source, env));
    }
    if (object.has("$lookup")) {
      return evaluate(lookup(object, source, env), source, env);
    }
    if (object.has("$state")) {
      return state(object, source, env);
    }
    return object;
  }

  /**
   * An entity of this subgraph found by the reference's key fields (text fields may be templates),
   * or, when this subgraph does not list it, the bare reference (its key fields) for another
   * subgraph to resolve.
   */
  private ObjectNode reference(
      ObjectNode reference, ObjectNode source, DataFetchingEnvironment env) {
    ObjectNode representation = NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : reference.properties()) {
      JsonNode value = field.getValue();
      if (!field.getKey().equals("$entity")) {
        representation.set(
            field.getKey(),
            value.isTextual() && value.asText().contains("{")
                ? TextNode.valueOf(template(value.asText(), source, env))
                : value.deepCopy());
      }
    }
    representation.put("__typename", reference.get("$entity").asText());
    return find(representation).orElse(representation);
  }

  private JsonNode byArgs(ObjectNode object, DataFetchingEnvironment env) {
    JsonNode arguments = JSON.valueToTree(env.getArguments());
    for (JsonNode option : object.get("$byArgs")) {
      if (containsAll(arguments, option.path("args"))) {
        return option.path("value");
      }
    }
    if (object.has("default")) {
      return object.get("default");
    }
    throw new FixtureError(
        "subgraph "
            + name
            + " has no value of "
            + env.getField().getName()
            + " for arguments "
            + arguments);
  }

  /**
   * Whether {@code actual} has every field of {@code expected} with the same value (scalars
   * compared as text).
   */
  private static boolean containsAll(JsonNode actual, JsonNode expected) {
    Iterator<Map.Entry<String, JsonNode>> fields = expected.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!sameValue(actual.path(field.getKey()), field.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameValue(JsonNode a, JsonNode b) {
    if (a.isNull() || a.isMissingNode() || b.isNull() || b.isMissingNode()) {
      return (a.isNull() || a.isMissingNode()) && (b.isNull() || b.isMissingNode());
    }
    if (a.isValueNode() && b.isValueNode()) {
      return a.asText().equals(b.asText());
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!sameValue(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    return a.isObject() && b.isObject() && a.size() == b.size() && containsAll(a, b);
  }

  /**
   * Fills the {@code {path}} slots of a template from the source object (for an entity: its
   * representation, so {@code @requires} fields the gateway did not send make the field fail; a
   * number indexes a list, as in {@code {lines.0.weight}}) and {@code {$args.name}} from arguments.
   */
  private String template(String template, ObjectNode source, DataFetchingEnvironment env) {
    Matcher matcher = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      matcher.appendReplacement(
          out, Matcher.quoteReplacement(templateValue(matcher.group(1).trim(), source, env)));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private String templateValue(String expression, ObjectNode source, DataFetchingEnvironment env) {
    if (expression.startsWith(ARGS_PREFIX)) {
      return String.valueOf((Object) env.getArgument(expression.substring(ARGS_PREFIX.length())));
    }
    JsonNode value = source;
    for (String step : expression.split("\\.")) {
      value =
          value.isArray() && step.matches("\\d+")
              ? value.get(Integer.parseInt(step))
              : value.get(step);
      if (value == null) {
        List<String> known = new ArrayList<>();
        source.fieldNames().forEachRemaining(known::add);
        throw new FixtureError(
            "subgraph "
                + name
                + " cannot compute "
                + env.getField().getName()
                + ": no field '"
                + expression
                + "' among "
                + known
                + " (a gateway must send @requires fields in the representation)");
      }
    }
    return value.isValueNode() || value.isNull() ? value.asText() : value.toString();
  }

  private JsonNode lookup(ObjectNode object, ObjectNode source, DataFetchingEnvironment env) {
    String key = template(object.get("$lookup").asText(), source, env);
    JsonNode table = object.path("table");
    if (table.has(key)) {
      return table.get(key);
    }
    if (object.has("default")) {
      return object.get("default");
    }
    throw new FixtureError(
        "subgraph " + name + " has no " + env.getField().getName() + " for '" + key + "'");
  }

  /**
   * Reads or changes shared state; with {@code "return"}, answers that value instead of the
   * state's.
   */
  private @Nullable JsonNode state(
      ObjectNode object, ObjectNode source, DataFetchingEnvironment env) {
    String counter = object.get("$state").asText();
    JsonNode result;
    if (object.has("add")) {
      JsonNode amount = object.get("add");
      long add =
          amount.isNumber()
              ? amount.asLong()
              : Long.parseLong(template(amount.asText(), source, env));
      result = LongNode.valueOf(state.add(counter, add));
    } else if (object.has("append")) {
      result = state.append(counter, template(object.get("append").asText(), source, env));
    } else {
      result = state.read(counter);
    }
    return object.has("return") ? evaluate(object.get("return"), source, env) : result;
  }

  /**
   * What graphql-java resolves: objects stay JSON (they are the sources of their fields), the rest
   * becomes Java.
   */
  private static @Nullable Object toJava(@Nullable JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value instanceof ObjectNode) {
      return value;
    }
    if (value instanceof ArrayNode array) {
      List<@Nullable Object> list = new ArrayList<>();
      array.forEach(element -> list.add(toJava(element)));
      return list;
    }
    if (value.isTextual()) {
      return value.asText();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    if (value.isNumber()) {
      return value.numberValue();
    }
    return value.asText();
  }
}
