package io.meshgate.runtime.subgraph;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Stops an operation that runs longer than {@link SubgraphLimits#requestTimeout()}: when the
 * deadline passes, the operation is cancelled ({@link ExecutionInput#cancel()}), graphql-java
 * fetches no further field, and the answer is an error coded {@code TIMEOUT} instead of the data
 * that would have taken longer. A field already being fetched finishes first: cancellation is
 * checked between fields, so a subgraph is freed from an operation with many fields, not from one
 * slow database query.
 */
public final class OperationDeadline implements Instrumentation, AutoCloseable {

  /** The error code of an operation stopped at its deadline. */
  public static final String CODE = "TIMEOUT";

  private final Duration timeout;
  private final ScheduledThreadPoolExecutor timer;

  /**
   * @param timeout how long an operation may run
   * @param threadName the name of the thread that cancels operations at their deadline; one per
   *     subgraph, named after it ({@code meshgate-sales-operation-deadline})
   */
  public OperationDeadline(Duration timeout, String threadName) {
    this.timeout = timeout;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, threadName);
              thread.setDaemon(true);
              return thread;
            });
    // An operation that finishes in time withdraws its deadline; it must not stay queued until
    // then.
    timer.setRemoveOnCancelPolicy(true);
  }

  /** One operation's deadline: whether it passed, and the task that cancels the operation then. */
  private static final class Deadline implements InstrumentationState {
    private volatile boolean passed;
    private volatile @Nullable ScheduledFuture<?> task;
  }

  @Override
  public CompletableFuture<InstrumentationState> createStateAsync(
      InstrumentationCreateStateParameters parameters) {
    return CompletableFuture.completedFuture(new Deadline());
  }

  @Override
  public @Nullable InstrumentationContext<ExecutionResult> beginExecution(
      InstrumentationExecutionParameters parameters, @Nullable InstrumentationState state) {
    if (!(state instanceof Deadline deadline)) {
      return null;
    }
    ExecutionInput input = parameters.getExecutionInput();
    deadline.task =
        timer.schedule(
            () -> {
              deadline.passed = true;
              input.cancel();
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    return SimpleInstrumentationContext.whenCompleted((result, failure) -> withdraw(deadline));
  }

  private static void withdraw(Deadline deadline) {
    ScheduledFuture<?> task = deadline.task;
    if (task != null) {
      task.cancel(false);
    }
  }

  @Override
  public CompletableFuture<ExecutionResult> instrumentExecutionResult(
      ExecutionResult result,
      InstrumentationExecutionParameters parameters,
      @Nullable InstrumentationState state) {
    if (!(state instanceof Deadline deadline) || !deadline.passed) {
      return CompletableFuture.completedFuture(result);
    }
    List<GraphQLError> errors = new ArrayList<>(result.getErrors().size());
    for (GraphQLError error : result.getErrors()) {
      errors.add(isCancellation(error) ? timedOut(error) : error);
    }
    return CompletableFuture.completedFuture(result.transform(builder -> builder.errors(errors)));
  }

  private static boolean isCancellation(GraphQLError error) {
    boolean coded = error.getExtensions() != null && error.getExtensions().containsKey("code");
    return !coded && error.getErrorType() == ErrorType.ExecutionAborted;
  }

  private GraphQLError timedOut(GraphQLError error) {
    Map<String, Object> extensions = new LinkedHashMap<>();
    extensions.put("code", CODE);
    extensions.put("timeoutMillis", timeout.toMillis());
    return GraphqlErrorBuilder.newError()
        .message(
            "the operation did not finish within "
                + timeout.toMillis()
                + " ms and was stopped; ask for fewer"
                + " fields or smaller pages")
        .locations(error.getLocations())
        .path(error.getPath())
        .errorType(ErrorClassification.errorClassification(CODE))
        .extensions(extensions)
        .build();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
