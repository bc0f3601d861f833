package io.meshgate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.VariableDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.meshgate.gateway.auth.AccessRules;
import io.meshgate.gateway.auth.OperationFilter;
import io.meshgate.gateway.auth.PolicyDecision;
import io.meshgate.gateway.auth.Principal;
import io.meshgate.gateway.compose.SubgraphIntrospection;
import io.meshgate.gateway.execute.HttpSubgraphClient;
import io.meshgate.gateway.execute.PlanExecutor;
import io.meshgate.gateway.execute.ResponseShaper;
import io.meshgate.gateway.execute.SubgraphClient;
import io.meshgate.gateway.plan.Deadline;
import io.meshgate.gateway.plan.NormalizedOperation;
import io.meshgate.gateway.plan.PlanningException;
import io.meshgate.gateway.plan.QueryPlan;
import io.meshgate.gateway.plan.QueryPlanner;
import io.meshgate.gateway.plan.Selection;
import io.meshgate.gateway.supergraph.ApiSchema;
import io.meshgate.gateway.supergraph.Supergraph;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The federation gateway's facade: a supergraph in, GraphQL answers out. Parses and validates each
 * operation against the API schema, plans it (plans are cached per operation text and name), runs
 * the plan against the subgraphs and shapes the answer.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supergraph supergraph;
  private final GraphQLSchema apiSchema;
  private final GraphQL introspection;
  private final QueryPlanner planner;

  /** Progressive-override labels {@code percent(N)}: each is on for N% of requests. */
  private final Map<String, Double> percentLabels;

  /**
   * The labels on for every request ({@code percent(100)}): plans shown for inspection use them.
   */
  private final Set<String> alwaysOnLabels;

  private final SubgraphClient client;
  private final PlanExecutor executor;
  private final ResponseShaper shaper;
  private final GatewayOptions options;
  private final Map<String, Prepared> plans;

  /** Who may read what, from the supergraph's access directives. */
  private final AccessRules access;

  /** Decides {@code @policy} policies; none is granted until one is configured. */
  private final PolicyDecision policies = PolicyDecision.DENY_ALL;

  private final AtomicLong plansComputed = new AtomicLong();

  private Gateway(Supergraph supergraph, SubgraphClient client, GatewayOptions options) {
    this.supergraph = supergraph;
    this.apiSchema = ApiSchema.of(supergraph);
    this.introspection = GraphQL.newGraphQL(apiSchema).build();
    this.planner = new QueryPlanner(supergraph);
    this.percentLabels = percentLabels(supergraph.overrideLabels());
    this.alwaysOnLabels =
        new TreeSet<>(
            percentLabels.entrySet().stream()
                .filter(label -> label.getValue() >= 100)
                .map(Map.Entry::getKey)
                .toList());
    this.client = client;
    this.executor = new PlanExecutor(client);
    this.shaper = new ResponseShaper(apiSchema);
    this.access = AccessRules.of(supergraph);
    this.options = options;
    int cacheSize = options.planCacheSize();
    this.plans =
        Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
              @Override
              protected boolean removeEldestEntry(Map.Entry<String, Prepared> eldest) {
                return size() > cacheSize;
              }
            });
  }

  /** A gateway over a supergraph SDL, calling subgraphs at the URLs the supergraph names. */
  public static Gateway fromSupergraph(String supergraphSdl, GatewayOptions options) {
    Supergraph supergraph = Supergraph.parse(supergraphSdl);
    Map<String, URI> urls = new LinkedHashMap<>();
    supergraph.graphs().forEach(g -> urls.put(g.name(), g.url()));
    return new Gateway(
        supergraph,
        new HttpSubgraphClient(
            urls,
            options.subgraphTimeouts(),
            options.subgraphTimeout(),
            options.deduplicateInflight(),
            options.maxSubgraphResponseBytes()),
        options);
  }

  /**
   * A gateway over subgraphs: fetches each one's {@code _service { sdl }} and composes them.
   *
   * @throws io.meshgate.gateway.compose.CompositionException when they do not compose, or a
   *     subgraph's SDL cannot be fetched
   */
  public static Gateway fromSubgraphs(Map<String, URI> subgraphs, GatewayOptions options) {
    return fromSupergraph(
        SubgraphIntrospection.compose(subgraphs, options.subgraphTimeout()), options);
  }

  /** A gateway with its own subgraph client (tests, other transports). */
  public static Gateway of(Supergraph supergraph, SubgraphClient client, GatewayOptions options) {
    return new Gateway(supergraph, client, options);
  }

  /** How long a request may take as a whole, planning and every subgraph fetch included. */
  public Duration requestTimeout() {
    return options.requestTimeout();
  }

  public Supergraph supergraph() {
    return supergraph;
  }

  public GraphQLSchema apiSchema() {
    return apiSchema;
  }

  /**
   * How many operations have been planned (not served from the plan cache); for tests and metrics.
   */
  public long plansComputed() {
    return plansComputed.get();
  }

  /** A parsed, validated and planned operation. */
  /**
   * A parsed, validated and planned operation.
   *
   * @param operation the operation as the client sent it, which the answer is shaped by
   * @param unauthorized an error for each field or type removed before planning because the caller
   *     may not read it (answered {@code null})
   */
  private record Prepared(
      NormalizedOperation operation,
      QueryPlan plan,
      Document document,
      boolean introspects,
      ResponseShaper.Memo memo,
      List<ObjectNode> unauthorized) {}

  /** A request error: the operation is not run, and the answer has no {@code data}. */
  public static final class RequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ObjectNode> errors;

    RequestException(List<ObjectNode> errors) {
      super(errors.isEmpty() ? "invalid request" : errors.get(0).path("message").asText());
      this.errors = errors;
    }

    RequestException(String message, String code) {
      this(List.of(error(message, code)));
    }

    public List<ObjectNode> errors() {
      return errors;
    }
  }

  /**
   * The plan of an operation, for debugging ({@code X-Meshgate-Query-Plan} header); progressive
   * overrides as they are for every request (only {@code percent(100)} labels on).
   *
   * @throws RequestException when the operation is invalid
   */
  public QueryPlan plan(String query, @Nullable String operationName) {
    return prepare(
            query, operationName, alwaysOnLabels, Deadline.after(options.requestTimeout()), null)
        .plan();
  }

  /**
   * Executes one GraphQL request.
   *
   * @param variables the request's variables (may be empty)
   * @param includePlan add the query plan under {@code extensions.queryPlan}
   * @return the response document; request errors complete it with only {@code errors}
   */
  public CompletableFuture<ObjectNode> execute(
      String query,
      @Nullable String operationName,
      ObjectNode variables,
      @Nullable String allowedKind,
      boolean includePlan) {
    return execute(
        query,
        operationName,
        variables,
        allowedKind,
        includePlan,
        Deadline.after(options.requestTimeout()));
  }

  /**
   * Executes one GraphQL request by {@code deadline}: planning stops when it passes (a request
   * error with code {@code GATEWAY_TIMEOUT}), and so do the fetches (each fetch not answered in
   * time is an error with that code at its path; what was fetched before stays).
   */
  public CompletableFuture<ObjectNode> execute(
      String query,
      @Nullable String operationName,
      ObjectNode variables,
      @Nullable String allowedKind,
      boolean includePlan,
      Deadline deadline) {
    return execute(
        query, operationName, variables, allowedKind, includePlan, deadline, Principal.ANONYMOUS);
  }

  /**
   * Executes one GraphQL request for {@code caller}: what the supergraph's access directives do not
   * let the caller read is removed before planning and answered {@code null} with an error {@code
   * UNAUTHORIZED_FIELD_OR_TYPE} at its path; a request left with nothing to run, or any such
   * request when the gateway rejects rather than filters, is refused with those errors.
   */
  public CompletableFuture<ObjectNode> execute(
      String query,
      @Nullable String operationName,
      ObjectNode variables,
      @Nullable String allowedKind,
      boolean includePlan,
      Deadline deadline,
      Principal caller) {
    Prepared prepared;
    ObjectNode effectiveVariables;
    try {
      prepared = prepare(query, operationName, enabledLabels(), deadline, caller);
      if (allowedKind != null && !prepared.operation().kind().equals(allowedKind)) {
        throw new RequestException(
            "only " + allowedKind + " operations are allowed with this HTTP method",
            "METHOD_NOT_ALLOWED");
      }
      effectiveVariables = withDefaults(prepared.operation(), variables);
    } catch (RequestException e) {
      return CompletableFuture.completedFuture(errorsOnly(e.errors()));
    }
    PlanExecutor.State state =
        prepared.plan().root() == null
            ? null
            : executor.execute(prepared.plan().root(), effectiveVariables, deadline);
    ObjectNode data = state == null ? NODES.objectNode() : state.data();
    List<ObjectNode> errors = new ArrayList<>();
    prepared.unauthorized().forEach(error -> errors.add(error.deepCopy()));
    if (state != null) {
      errors.addAll(state.errors());
    }
    if (prepared.introspects()) {
      introspect(prepared, effectiveVariables, data, errors);
    }
    String rootType =
        prepared.operation().kind().equals("mutation")
            ? supergraph.mutationType()
            : supergraph.queryType();
    ObjectNode shaped =
        shaper.shape(
            rootType,
            prepared.operation().selections(),
            data,
            effectiveVariables,
            errors,
            prepared.memo());
    if (shaped == null && errors.isEmpty()) {
      // A null answer always says why; reaching here is a gateway defect, never a quiet null.
      errors.add(
          error(
              "the gateway could not complete the answer and has no subgraph error to explain it",
              "RESPONSE_INCOMPLETE"));
    }
    if (deadline.cancelled() != null) {
      log.debug("operation {} was cancelled: {}", operationHash(query), deadline.cancelled());
    } else if (errors.size() > prepared.unauthorized().size() && log.isWarnEnabled()) {
      // Fields removed for the caller are the caller's doing, not a problem of the mesh: logging
      // them at WARN would let any anonymous caller fill the log.
      log.warn(
          "operation {} answered with {} error(s), first: {}",
          operationHash(query),
          errors.size() - prepared.unauthorized().size(),
          errors.get(prepared.unauthorized().size()).path("message").asText());
    } else if (!errors.isEmpty()) {
      log.debug(
          "operation {} answered with {} field(s) its caller may not read",
          operationHash(query),
          errors.size());
    }
    ObjectNode response = NODES.objectNode();
    if (!errors.isEmpty()) {
      ArrayNode array = response.putArray("errors");
      errors.forEach(array::add);
    }
    response.set("data", shaped == null ? NODES.nullNode() : shaped);
    if (includePlan) {
      response.putObject("extensions").set("queryPlan", prepared.plan().toJson());
    }
    return CompletableFuture.completedFuture(response);
  }

  private static Map<String, Double> percentLabels(Set<String> labels) {
    Map<String, Double> result = new LinkedHashMap<>();
    Pattern percent = Pattern.compile("percent\\((\\d+(?:\\.\\d+)?)\\)");
    for (String label : labels) {
      Matcher matcher = percent.matcher(label);
      if (matcher.matches()) {
        result.put(label, Double.parseDouble(matcher.group(1)));
      }
    }
    return result;
  }

  /**
   * The progressive-override labels on for this request: {@code percent(N)} with probability N%;
   * other labels stay off (the overridden subgraph keeps the field).
   */
  private Set<String> enabledLabels() {
    if (percentLabels.isEmpty()) {
      return Set.of();
    }
    Set<String> enabled = new TreeSet<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    percentLabels.forEach(
        (label, percent) -> {
          if (random.nextDouble(100) < percent) {
            enabled.add(label);
          }
        });
    return enabled;
  }

  /**
   * @param caller whose access the operation is filtered for; null plans it whole (plans shown for
   *     inspection)
   */
  private Prepared prepare(
      String query,
      @Nullable String operationName,
      Set<String> labels,
      Deadline deadline,
      @Nullable Principal caller) {
    if (query.getBytes(StandardCharsets.UTF_8).length > options.maxQueryBytes()) {
      throw new RequestException(
          "the query is larger than the limit of " + options.maxQueryBytes() + " bytes",
          "QUERY_TOO_LARGE");
    }
    String labelKey =
        (labels.isEmpty() ? "" : String.join(",", labels) + "\u0001")
            + (caller == null
                ? "\u0003"
                : access.isEmpty() ? "" : access.accessKey(caller, policies) + "\u0002");
    String key = labelKey + (operationName == null ? "" : operationName) + "\u0000" + query;
    Prepared cached = plans.get(key);
    if (cached != null) {
      return cached;
    }
    Document document = parse(query);
    // Texts that differ only in whitespace, commas or comments share one plan.
    String normalizedKey =
        labelKey
            + (operationName == null ? "" : operationName)
            + "\u0000"
            + graphql.language.AstPrinter.printAstCompact(document);
    Prepared normalized = plans.get(normalizedKey);
    if (normalized != null) {
      plans.put(key, normalized);
      return normalized;
    }
    checkExpansion(document);
    List<ValidationError> validation =
        new Validator().validateDocument(apiSchema, document, Locale.ENGLISH);
    if (!validation.isEmpty()) {
      List<ObjectNode> errors = new ArrayList<>();
      for (ValidationError error : validation) {
        errors.add(graphQlError(error, "GRAPHQL_VALIDATION_FAILED"));
      }
      throw new RequestException(errors);
    }
    NormalizedOperation operation;
    try {
      operation = NormalizedOperation.of(document, operationName);
    } catch (IllegalArgumentException e) {
      throw new RequestException(e.getMessage(), "GRAPHQL_VALIDATION_FAILED");
    }
    checkLimits(operation);
    List<ObjectNode> unauthorized = List.of();
    NormalizedOperation planned = operation;
    NormalizedOperation shaped = operation;
    if (caller != null && !access.isEmpty()) {
      OperationFilter.Filtered filtered =
          OperationFilter.filter(
              supergraph,
              access,
              operation.kind().equals("mutation")
                  ? supergraph.mutationType()
                  : operation.kind().equals("subscription")
                      ? supergraph.subscriptionType()
                      : supergraph.queryType(),
              operation.selections(),
              caller,
              policies);
      unauthorized = filtered.errors();
      if (!unauthorized.isEmpty() && (options.rejectUnauthorized() || filtered.nothingLeft())) {
        throw new RequestException(unauthorized);
      }
      planned =
          new NormalizedOperation(
              operation.kind(), operation.name(), operation.variables(), filtered.selections());
      shaped =
          new NormalizedOperation(
              operation.kind(), operation.name(), operation.variables(), filtered.shaped());
    }
    QueryPlan plan;
    plansComputed.incrementAndGet();
    try {
      plan = planner.plan(planned, labels, deadline);
    } catch (Deadline.Exceeded e) {
      if (deadline.cancelled() != null) {
        throw new RequestException(e.getMessage(), "REQUEST_CANCELLED");
      }
      log.warn(
          "query planning of operation {} passed the request's deadline", operationHash(query));
      throw new RequestException(e.getMessage(), "GATEWAY_TIMEOUT");
    } catch (PlanningException e) {
      log.warn("query planning failed for operation {}: {}", operationHash(query), e.getMessage());
      throw new RequestException(e.getMessage(), "QUERY_PLANNING_FAILED");
    }
    Prepared prepared =
        new Prepared(
            shaped,
            plan,
            document,
            introspects(operation.selections()),
            ResponseShaper.newMemo(),
            unauthorized);
    plans.put(key, prepared);
    plans.put(normalizedKey, prepared);
    return prepared;
  }

  private Document parse(String query) {
    try {
      ParserOptions parserOptions =
          ParserOptions.getDefaultOperationParserOptions()
              .transform(b -> b.maxCharacters(options.maxQueryBytes()));
      return new Parser()
          .parseDocument(
              ParserEnvironment.newParserEnvironment()
                  .document(query)
                  .parserOptions(parserOptions)
                  .build());
    } catch (graphql.parser.exceptions.ParseCancelledException e) {
      throw new RequestException(e.getMessage(), "QUERY_TOO_LARGE");
    } catch (InvalidSyntaxException e) {
      ObjectNode error = error(e.getMessage(), "GRAPHQL_PARSE_FAILED");
      if (e.getLocation() != null) {
        ObjectNode location = error.putArray("locations").addObject();
        location.put("line", e.getLocation().getLine());
        location.put("column", e.getLocation().getColumn());
      }
      throw new RequestException(List.of(error));
    }
  }

  /**
   * Counts the field selections and the depth of each operation as if its fragments were expanded,
   * without expanding them (each fragment counted once, memoized), so a document whose fragments
   * multiply one another is refused before validation or planning would do that work.
   */
  private void checkExpansion(Document document) {
    Map<String, graphql.language.FragmentDefinition> fragments = new LinkedHashMap<>();
    document
        .getDefinitionsOfType(graphql.language.FragmentDefinition.class)
        .forEach(f -> fragments.put(f.getName(), f));
    ExpansionCounter counter = new ExpansionCounter(fragments);
    for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
      long[] size = counter.measure(operation.getSelectionSet());
      if (size[1] > options.maxDepth()) {
        throw new RequestException(
            "the operation is "
                + size[1]
                + " levels deep once its fragments are expanded; "
                + "the limit is "
                + options.maxDepth(),
            "MAX_DEPTH_EXCEEDED");
      }
      if (size[0] > options.maxSelections()) {
        throw new RequestException(
            "the operation selects "
                + (size[0] == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(size[0]))
                + " fields once its fragments are expanded; the limit is "
                + options.maxSelections(),
            "MAX_SELECTIONS_EXCEEDED");
      }
    }
  }

  /** Selection counts and depths of selection sets with fragments counted, not expanded. */
  private static final class ExpansionCounter {
    private final Map<String, graphql.language.FragmentDefinition> fragments;
    private final Map<String, long[]> measured = new HashMap<>();
    private final Set<String> visiting = new HashSet<>();

    ExpansionCounter(Map<String, graphql.language.FragmentDefinition> fragments) {
      this.fragments = fragments;
    }

    /**
     * {@code [selections, depth]}, saturating; a fragment cycle counts nothing (validation reports
     * it).
     */
    long[] measure(@Nullable SelectionSet set) {
      long count = 0;
      long depth = 0;
      if (set == null) {
        return new long[] {0, 0};
      }
      for (graphql.language.Selection<?> selection : set.getSelections()) {
        long[] inner =
            switch (selection) {
              case Field field -> {
                long[] below = measure(field.getSelectionSet());
                yield new long[] {saturatedAdd(1, below[0]), below[1] + 1};
              }
              case graphql.language.InlineFragment inline -> measure(inline.getSelectionSet());
              case graphql.language.FragmentSpread spread -> fragment(spread.getName());
              default -> new long[] {0, 0};
            };
        count = saturatedAdd(count, inner[0]);
        depth = Math.max(depth, inner[1]);
      }
      return new long[] {count, depth};
    }

    private long[] fragment(String name) {
      long[] known = measured.get(name);
      if (known != null) {
        return known;
      }
      graphql.language.FragmentDefinition definition = fragments.get(name);
      if (definition == null || !visiting.add(name)) {
        return new long[] {0, 0};
      }
      long[] size = measure(definition.getSelectionSet());
      visiting.remove(name);
      measured.put(name, size);
      return size;
    }

    private static long saturatedAdd(long a, long b) {
      long sum = a + b;
      return sum < 0 ? Long.MAX_VALUE : sum;
    }
  }

  /**
   * Most {@code __schema}/{@code __type} fields one operation may select (each answer is large).
   */
  static final int MAX_INTROSPECTION_FIELDS = 3;

  private void checkLimits(NormalizedOperation operation) {
    int introspection = introspectionFields(operation.selections());
    if (introspection > MAX_INTROSPECTION_FIELDS) {
      throw new RequestException(
          "the operation selects "
              + introspection
              + " __schema/__type fields; the limit is "
              + MAX_INTROSPECTION_FIELDS,
          "MAX_INTROSPECTION_EXCEEDED");
    }
    String repeated = repeatedIntrospectionList(operation.selections(), false, new HashSet<>());
    if (repeated != null) {
      throw new RequestException(
          "the operation's introspection selects "
              + repeated
              + " inside "
              + repeated
              + "; each list of the schema (types, fields, args, inputFields, interfaces,"
              + " possibleTypes, enumValues, directives) may appear once along a path, as in the"
              + " standard introspection query",
          "MAX_INTROSPECTION_DEPTH_EXCEEDED");
    }
    int aliases = aliases(operation.selections());
    if (aliases > options.maxAliases()) {
      throw new RequestException(
          "the operation uses " + aliases + " aliases; the limit is " + options.maxAliases(),
          "MAX_ALIASES_EXCEEDED");
    }
  }

  /**
   * Introspection fields that list parts of the schema: nested in themselves, answers grow
   * exponentially.
   */
  private static final Set<String> INTROSPECTION_LISTS =
      Set.of(
          "types",
          "fields",
          "args",
          "inputFields",
          "interfaces",
          "possibleTypes",
          "enumValues",
          "directives");

  /**
   * The first schema list selected inside itself within {@code __schema}/{@code __type} (such as
   * {@code fields { type { fields ... } }}), whose answer would multiply with every level; null if
   * none.
   */
  private static @Nullable String repeatedIntrospectionList(
      List<Selection> selections, boolean inIntrospection, Set<String> onPath) {
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Fragment fragment -> {
          String found = repeatedIntrospectionList(fragment.selections(), inIntrospection, onPath);
          if (found != null) {
            return found;
          }
        }
        case Selection.Field field -> {
          boolean entering =
              !inIntrospection
                  && (field.name().equals("__schema") || field.name().equals("__type"));
          boolean list = inIntrospection && INTROSPECTION_LISTS.contains(field.name());
          if (list && !onPath.add(field.name())) {
            return field.name();
          }
          String found =
              field.selections().isEmpty()
                  ? null
                  : repeatedIntrospectionList(
                      field.selections(), inIntrospection || entering, onPath);
          if (list) {
            onPath.remove(field.name());
          }
          if (found != null) {
            return found;
          }
        }
      }
    }
    return null;
  }

  private static int introspectionFields(List<Selection> selections) {
    int count = 0;
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Field field ->
            count += field.name().equals("__schema") || field.name().equals("__type") ? 1 : 0;
        case Selection.Fragment fragment -> count += introspectionFields(fragment.selections());
      }
    }
    return count;
  }

  private static int aliases(List<Selection> selections) {
    int count = 0;
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Field field ->
            count += (field.alias() != null ? 1 : 0) + aliases(field.selections());
        case Selection.Fragment fragment -> count += aliases(fragment.selections());
      }
    }
    return count;
  }

  private static boolean introspects(List<Selection> selections) {
    for (Selection selection : selections) {
      if (selection instanceof Selection.Field field
          && (field.name().equals("__schema") || field.name().equals("__type"))) {
        return true;
      }
      if (selection instanceof Selection.Fragment fragment && introspects(fragment.selections())) {
        return true;
      }
    }
    return false;
  }

  /** Answers {@code __schema} and {@code __type} from the API schema. */
  private void introspect(
      Prepared prepared, ObjectNode variables, ObjectNode data, List<ObjectNode> errors) {
    Document document =
        prepared
            .document()
            .transform(
                b ->
                    b.definitions(
                        prepared.document().getDefinitions().stream()
                            .map(
                                d ->
                                    d instanceof OperationDefinition op
                                            && isSelected(op, prepared.operation())
                                        ? op.transform(
                                            ob ->
                                                ob.selectionSet(
                                                    introspectionOnly(op.getSelectionSet())))
                                        : d)
                            .filter(
                                d ->
                                    !(d instanceof OperationDefinition op)
                                        || isSelected(op, prepared.operation()))
                            .toList()));
    ExecutionResult result =
        introspection.execute(
            ExecutionInput.newExecutionInput()
                .query(graphql.language.AstPrinter.printAst(document))
                // The gateway's own depth and alias limits guard introspection; graphql-java's
                // "good faith" heuristic would reject valid operations such as two __type lookups.
                .graphQLContext(
                    Map.of(
                        graphql.introspection.GoodFaithIntrospection
                            .GOOD_FAITH_INTROSPECTION_DISABLED,
                        true))
                .variables(JSON.convertValue(variables, Map.class))
                .build());
    if (result.getData() instanceof Map<?, ?> map) {
      ObjectNode introspected = JSON.valueToTree(map);
      introspected.properties().forEach(e -> data.set(e.getKey(), e.getValue()));
    }
    for (GraphQLError error : result.getErrors()) {
      errors.add(error(error.getMessage(), "INTROSPECTION_FAILED"));
    }
  }

  private static boolean isSelected(OperationDefinition op, NormalizedOperation operation) {
    return operation.name() == null || operation.name().equals(op.getName());
  }

  private static SelectionSet introspectionOnly(SelectionSet set) {
    return set.transform(
        b ->
            b.selections(
                set.getSelections().stream()
                    .filter(
                        s ->
                            s instanceof Field f
                                && (f.getName().equals("__schema") || f.getName().equals("__type")))
                    .toList()));
  }

  /**
   * Checks the variables against their declared types (as the GraphQL spec's CoerceVariableValues
   * does) and fills in declared defaults. The raw values are what subgraphs receive.
   */
  private ObjectNode withDefaults(NormalizedOperation operation, ObjectNode variables) {
    if (operation.variables().isEmpty()) {
      return variables;
    }
    try {
      graphql.execution.ValuesResolver.coerceVariableValues(
          apiSchema,
          operation.variables(),
          graphql.execution.RawVariables.of(JSON.convertValue(variables, Map.class)),
          graphql.GraphQLContext.getDefault(),
          Locale.ENGLISH);
    } catch (graphql.GraphQLException e) {
      throw new RequestException(e.getMessage(), "BAD_USER_INPUT");
    } catch (RuntimeException e) {
      // Values graphql-java's coercion trips over in other ways are still the caller's mistake.
      throw new RequestException(
          "the variables cannot be used with this operation: " + e.getMessage(), "BAD_USER_INPUT");
    }
    ObjectNode result = variables.deepCopy();
    for (VariableDefinition definition : operation.variables()) {
      if (!result.has(definition.getName()) && definition.getDefaultValue() != null) {
        result.set(definition.getName(), JSON.valueToTree(astToJava(definition.getDefaultValue())));
      }
    }
    return result;
  }

  private static @Nullable Object astToJava(graphql.language.Value<?> value) {
    return switch (value) {
      case graphql.language.StringValue s -> s.getValue();
      case graphql.language.IntValue i -> i.getValue();
      case graphql.language.FloatValue f -> f.getValue();
      case graphql.language.BooleanValue b -> b.isValue();
      case graphql.language.EnumValue e -> e.getName();
      case graphql.language.NullValue n -> null;
      case graphql.language.ArrayValue a -> a.getValues().stream().map(Gateway::astToJava).toList();
      case graphql.language.ObjectValue o -> {
        Map<String, Object> map = new LinkedHashMap<>();
        o.getObjectFields().forEach(f -> map.put(f.getName(), astToJava(f.getValue())));
        yield map;
      }
      default -> null;
    };
  }

  /**
   * A short, stable name of an operation's text for logs (the first 12 hex digits of its SHA-256).
   */
  static String operationHash(String query) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(query.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode errorsOnly(List<ObjectNode> errors) {
    ObjectNode response = NODES.objectNode();
    ArrayNode array = response.putArray("errors");
    errors.forEach(array::add);
    return response;
  }

  static ObjectNode error(String message, String code) {
    ObjectNode error = NODES.objectNode();
    error.put("message", message);
    error.putObject("extensions").put("code", code);
    return error;
  }

  private static ObjectNode graphQlError(ValidationError validation, String code) {
    ObjectNode error =
        error(
            validation.getDescription() != null
                ? validation.getDescription()
                : validation.getMessage(),
            code);
    if (validation.getLocations() != null && !validation.getLocations().isEmpty()) {
      ArrayNode locations = error.putArray("locations");
      for (SourceLocation location : validation.getLocations()) {
        ObjectNode l = locations.addObject();
        l.put("line", location.getLine());
        l.put("column", location.getColumn());
      }
    }
    return error;
  }

  @Override
  public void close() {
    client.close();
  }
}
