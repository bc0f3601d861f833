package io.meshgate.runtime.subgraph;

import graphql.ErrorClassification;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.InvalidSyntaxError;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.ParserOptions;
import graphql.parser.exceptions.ParseCancelledException;
import graphql.parser.exceptions.ParseCancelledTooDeepException;
import graphql.parser.exceptions.ParseCancelledTooManyCharsException;
import graphql.validation.ValidationError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Bounds every operation a subgraph runs, before it runs: the query's length and tokens while it is
 * parsed ({@code QUERY_TOO_LARGE}), then its root fields ({@code MAX_ALIASES_EXCEEDED}), depth
 * ({@code MAX_DEPTH_EXCEEDED}) and estimated cost ({@link OperationCost}, {@code
 * COST_LIMIT_EXCEEDED}) once its variables are known. Syntax and validation errors get a code too
 * ({@code GRAPHQL_PARSE_FAILED}, {@code GRAPHQL_VALIDATION_FAILED}), so every refusal says what was
 * wrong and carries a code.
 */
public final class OperationLimits implements Instrumentation {

  private final SubgraphLimits limits;
  private final ParserOptions parserOptions;

  public OperationLimits(SubgraphLimits limits) {
    this.limits = limits;
    this.parserOptions =
        ParserOptions.getDefaultOperationParserOptions()
            .transform(
                options ->
                    options
                        .maxCharacters(limits.maxQueryCharacters())
                        .maxTokens(limits.maxQueryTokens()));
  }

  /** Whether parsing this request's query was cancelled by a parser limit. */
  private static final class ParseOutcome implements InstrumentationState {
    private volatile boolean cancelled;
  }

  @Override
  public CompletableFuture<InstrumentationState> createStateAsync(
      InstrumentationCreateStateParameters parameters) {
    return CompletableFuture.completedFuture(new ParseOutcome());
  }

  @Override
  public ExecutionInput instrumentExecutionInput(
      ExecutionInput input,
      InstrumentationExecutionParameters parameters,
      @Nullable InstrumentationState state) {
    // graphql-java parses with the options found in the request's context.
    input.getGraphQLContext().put(ParserOptions.class, parserOptions);
    return input;
  }

  @Override
  public @Nullable InstrumentationContext<Document> beginParse(
      InstrumentationExecutionParameters parameters, @Nullable InstrumentationState state) {
    return SimpleInstrumentationContext.whenCompleted(
        (document, failure) -> {
          if (state instanceof ParseOutcome outcome && isParserLimit(failure)) {
            outcome.cancelled = true;
          }
        });
  }

  private static boolean isParserLimit(@Nullable Throwable failure) {
    return failure instanceof ParseCancelledException
        || failure instanceof ParseCancelledTooManyCharsException
        || failure instanceof ParseCancelledTooDeepException;
  }

  @Override
  public @Nullable InstrumentationContext<ExecutionResult> beginExecuteOperation(
      InstrumentationExecuteOperationParameters parameters, @Nullable InstrumentationState state) {
    ExecutionContext context = parameters.getExecutionContext();
    int rootFields =
        rootFields(
            context.getOperationDefinition().getSelectionSet(), context.getFragmentsByName());
    if (rootFields > limits.maxRootFields()) {
      throw refusal(
          "MAX_ALIASES_EXCEEDED",
          "the operation selects "
              + rootFields
              + " root fields (each alias counts);"
              + " the limit is "
              + limits.maxRootFields()
              + "; send fewer aliases per operation",
          Map.of("rootFields", rootFields, "limit", limits.maxRootFields()));
    }
    OperationCost.Estimate estimate =
        OperationCost.of(
            context.getGraphQLSchema(),
            context.getOperationDefinition(),
            context.getFragmentsByName(),
            context.getCoercedVariables().toMap(),
            limits.assumedListSize());
    if (estimate.depth() > limits.maxDepth()) {
      throw refusal(
          "MAX_DEPTH_EXCEEDED",
          "the operation nests fields "
              + estimate.depth()
              + " deep; the limit is "
              + limits.maxDepth(),
          Map.of("depth", estimate.depth(), "limit", limits.maxDepth()));
    }
    if (estimate.cost() > limits.maxCost()) {
      throw refusal(
          "COST_LIMIT_EXCEEDED",
          "the operation's estimated cost is "
              + estimate.cost()
              + ", over the limit of "
              + limits.maxCost()
              + " (every object it may return counts 1, multiplied by the first/limit of each list"
              + " above it and by the number of _entities representations); ask for smaller pages"
              + " or fewer nested lists",
          Map.of("cost", estimate.cost(), "limit", limits.maxCost()));
    }
    return SimpleInstrumentationContext.noOp();
  }

  /**
   * The distinct response keys of a root selection set, fragments included: each is resolved once,
   * however often it is repeated. Each fragment is visited once, since spreading it again adds no
   * key.
   */
  static int rootFields(SelectionSet root, Map<String, FragmentDefinition> fragments) {
    Set<String> keys = new HashSet<>();
    collectKeys(root, fragments, keys, new HashSet<>());
    return keys.size();
  }

  private static void collectKeys(
      @Nullable SelectionSet selectionSet,
      Map<String, FragmentDefinition> fragments,
      Set<String> keys,
      Set<String> visited) {
    if (selectionSet == null) {
      return;
    }
    for (Selection<?> selection : selectionSet.getSelections()) {
      switch (selection) {
        case Field field -> keys.add(field.getResultKey());
        case InlineFragment inline ->
            collectKeys(inline.getSelectionSet(), fragments, keys, visited);
        case FragmentSpread spread -> {
          FragmentDefinition definition = fragments.get(spread.getName());
          if (definition != null && visited.add(spread.getName())) {
            collectKeys(definition.getSelectionSet(), fragments, keys, visited);
          }
        }
        default -> {}
      }
    }
  }

  private static AbortExecutionException refusal(
      String code, String message, Map<String, Object> details) {
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("code", code);
    extensions.putAll(details);
    return new AbortExecutionException(
        List.of(
            GraphqlErrorBuilder.newError()
                .message(message)
                .errorType(ErrorClassification.errorClassification(code))
                .extensions(extensions)
                .build()));
  }

  @Override
  public CompletableFuture<ExecutionResult> instrumentExecutionResult(
      ExecutionResult result,
      InstrumentationExecutionParameters parameters,
      @Nullable InstrumentationState state) {
    if (result.getErrors().stream().noneMatch(OperationLimits::needsCode)) {
      return CompletableFuture.completedFuture(result);
    }
    boolean cancelled = state instanceof ParseOutcome outcome && outcome.cancelled;
    List<GraphQLError> errors = new ArrayList<>(result.getErrors().size());
    for (GraphQLError error : result.getErrors()) {
      errors.add(needsCode(error) ? withCode(error, cancelled) : error);
    }
    return CompletableFuture.completedFuture(result.transform(builder -> builder.errors(errors)));
  }

  private static boolean needsCode(GraphQLError error) {
    boolean coded = error.getExtensions() != null && error.getExtensions().containsKey("code");
    return !coded && (error instanceof InvalidSyntaxError || error instanceof ValidationError);
  }

  private static GraphQLError withCode(GraphQLError error, boolean parseCancelled) {
    String code;
    String message = error.getMessage();
    if (error instanceof ValidationError) {
      code = "GRAPHQL_VALIDATION_FAILED";
    } else if (parseCancelled) {
      code = "QUERY_TOO_LARGE";
      message = "the query is too large to parse: " + message;
    } else {
      code = "GRAPHQL_PARSE_FAILED";
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    if (error.getExtensions() != null) {
      extensions.putAll(error.getExtensions());
    }
    extensions.put("code", code);
    return GraphqlErrorBuilder.newError()
        .message(message)
        .locations(error.getLocations())
        .path(error.getPath())
        .errorType(error.getErrorType())
        .extensions(extensions)
        .build();
  }
}
