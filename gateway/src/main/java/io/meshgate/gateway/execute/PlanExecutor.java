package io.meshgate.gateway.execute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.gateway.plan.Deadline;
import io.meshgate.gateway.plan.PlanNode;
import io.meshgate.gateway.plan.QueryPlanner;
import io.meshgate.gateway.plan.Selection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * Interprets a query plan: sends each fetch to its subgraph, builds entity representations from
 * what earlier fetches returned (deduplicated per fetch), and merges every answer into one response
 * tree. Fetches of a parallel stage run concurrently; merges are serialized.
 */
public final class PlanExecutor {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The context values of a fetch without context variables; only ever read. */
  private static final ArrayNode NO_CONTEXT = NODES.arrayNode();

  private final SubgraphClient client;

  public PlanExecutor(SubgraphClient client) {
    this.client = client;
  }

  /** The merged data and the errors of running a plan. */
  public static final class State {
    final ObjectNode data = NODES.objectNode();
    final List<ObjectNode> errors = new ArrayList<>();
    final ObjectNode variables;
    final Deadline deadline;

    State(ObjectNode variables, Deadline deadline) {
      this.variables = variables;
      this.deadline = deadline;
    }

    public ObjectNode data() {
      return data;
    }

    public List<ObjectNode> errors() {
      return errors;
    }
  }

  /**
   * Runs {@code root} with the client's variables on the calling thread (a virtual thread per
   * request in the server); the fetches of a parallel stage each get a virtual thread of their own,
   * so no shared pool becomes the bottleneck and no thread blocks the world.
   */
  public State execute(PlanNode root, ObjectNode variables) {
    return execute(root, variables, Deadline.none());
  }

  /**
   * Runs {@code root} until {@code deadline}: a fetch not yet sent when it passes is not sent, and
   * one in flight is cancelled; each becomes an error with code {@code GATEWAY_TIMEOUT} at its
   * path, and what was fetched before stays in the answer.
   */
  public State execute(PlanNode root, ObjectNode variables, Deadline deadline) {
    State state = new State(variables, deadline);
    run(root, state);
    return state;
  }

  private void run(PlanNode node, State state) {
    switch (node) {
      case PlanNode.Fetch fetch -> rootFetch(fetch, state);
      case PlanNode.Flatten flatten -> entityFetch(flatten, state);
      case PlanNode.Sequence sequence -> sequence.nodes().forEach(child -> run(child, state));
      case PlanNode.Parallel parallel -> runParallel(parallel.nodes(), state);
    }
  }

  private void runParallel(List<PlanNode> nodes, State state) {
    if (nodes.size() == 1) {
      run(nodes.get(0), state);
      return;
    }
    runConcurrently(nodes.stream().<Runnable>map(child -> () -> run(child, state)).toList());
  }

  /**
   * Runs the first task on this thread and the others each on a virtual thread of its own; waits
   * for all.
   */
  private static void runConcurrently(List<Runnable> tasks) {
    List<Thread> threads = new ArrayList<>(tasks.size() - 1);
    for (int i = 1; i < tasks.size(); i++) {
      threads.add(Thread.ofVirtual().name("gateway-fetch").start(tasks.get(i)));
    }
    tasks.get(0).run();
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void rootFetch(PlanNode.Fetch fetch, State state) {
    ObjectNode variables = usedVariables(fetch, state);
    JsonNode response;
    try {
      response = client.send(fetch.subgraph(), fetch.operation(), variables, state.deadline);
    } catch (RuntimeException error) {
      synchronized (state) {
        state.errors.add(fetchError(fetch, error, List.of()));
      }
      return;
    }
    synchronized (state) {
      if (response.get("data") instanceof ObjectNode data) {
        rename(data, fetch.renames());
        merge(state.data, data);
      }
      for (JsonNode error1 : response.path("errors")) {
        state.errors.add(subgraphError(fetch.subgraph(), error1, null));
      }
    }
  }

  /** A response path, materialized only for errors. */
  private record PathLink(@Nullable PathLink parent, Object key) {
    List<Object> toList() {
      ArrayDeque<Object> keys = new ArrayDeque<>();
      for (PathLink p = this; p != null; p = p.parent) {
        keys.addFirst(p.key);
      }
      return new ArrayList<>(keys);
    }
  }

  /** An object found at a flatten path, with its response path. */
  private record Target(ObjectNode object, @Nullable PathLink link) {
    List<Object> path() {
      return link == null ? List.of() : link.toList();
    }
  }

  /**
   * The representations of one request of an entity fetch, deduplicated, with the targets each one
   * answers; {@code contextValues} are the values of the fetch's context variables shared by all of
   * them.
   */
  private record Batch(
      ArrayNode contextValues,
      ArrayNode representations,
      Map<ObjectNode, Integer> indexByRepresentation,
      List<List<Target>> targetsByIndex) {

    Batch(ArrayNode contextValues) {
      this(contextValues, NODES.arrayNode(), new HashMap<>(), new ArrayList<>());
    }
  }

  private void entityFetch(PlanNode.Flatten flatten, State state) {
    PlanNode.Fetch fetch = flatten.fetch();
    List<Target> targets = new ArrayList<>();
    // One request per distinct set of context values ({@code @fromContext}); one in all without.
    Map<ArrayNode, Batch> batches = new LinkedHashMap<>();
    synchronized (state) {
      collect(state.data, flatten.path(), 0, null, targets);
      for (Target target : targets) {
        String typename = target.object().path("__typename").asText(null);
        if (typename == null || !fetch.acceptsTypes().contains(typename)) {
          continue;
        }
        ObjectNode representation = NODES.objectNode();
        if (!project(target.object(), fetch.requires(), representation, fetch.aliasPrefix())) {
          continue;
        }
        if (hasNullKey(representation, fetch.keyFields())) {
          // An entity whose key is null cannot be looked up anywhere.
          continue;
        }
        representation.put("__typename", fetch.entityType());
        ArrayNode contextValues = contextValues(state.data, fetch, target);
        Batch batch = batches.computeIfAbsent(contextValues, Batch::new);
        // Structural equality: identical representations are sent once.
        Integer index = batch.indexByRepresentation().get(representation);
        if (index == null) {
          index = batch.representations().size();
          batch.indexByRepresentation().put(representation, index);
          batch.representations().add(representation);
          batch.targetsByIndex().add(new ArrayList<>());
        }
        batch.targetsByIndex().get(index).add(target);
      }
    }
    if (batches.size() <= 1) {
      batches.values().forEach(batch -> sendBatch(fetch, batch, state));
      return;
    }
    runConcurrently(
        batches.values().stream()
            .<Runnable>map(batch -> () -> sendBatch(fetch, batch, state))
            .toList());
  }

  private void sendBatch(PlanNode.Fetch fetch, Batch batch, State state) {
    ObjectNode variables = usedVariables(fetch, state);
    variables.set("representations", batch.representations());
    for (int i = 0; i < fetch.contextVariables().size(); i++) {
      variables.set(fetch.contextVariables().get(i).name(), batch.contextValues().get(i));
    }
    List<List<Target>> targetsByIndex = batch.targetsByIndex();
    JsonNode response;
    try {
      response = client.send(fetch.subgraph(), fetch.operation(), variables, state.deadline);
    } catch (RuntimeException error) {
      synchronized (state) {
        state.errors.add(fetchError(fetch, error, targetsByIndex.get(0).get(0).path()));
      }
      return;
    }
    synchronized (state) {
      JsonNode entities = response.path("data").path("_entities");
      rename(entities, fetch.renames());
      for (int i = 0; i < targetsByIndex.size(); i++) {
        JsonNode entity = entities.path(i);
        if (!(entity instanceof ObjectNode result)) {
          continue;
        }
        for (Target target : targetsByIndex.get(i)) {
          mergeEntity(target.object(), result, fetch.entityType());
        }
      }
      for (JsonNode subgraphError : response.path("errors")) {
        state.errors.add(subgraphError(fetch.subgraph(), subgraphError, targetsByIndex));
      }
    }
  }

  /**
   * The values of the fetch's context variables for one target: each read from the target's own
   * ancestor at the variable's path (its list indices taken from the target's path); null where the
   * ancestor or its value is missing.
   */
  private static ArrayNode contextValues(ObjectNode data, PlanNode.Fetch fetch, Target target) {
    if (fetch.contextVariables().isEmpty()) {
      return NO_CONTEXT;
    }
    ArrayNode values = NODES.arrayNode();
    List<Object> path = target.path();
    for (PlanNode.ContextVariable variable : fetch.contextVariables()) {
      JsonNode ancestor = ancestorAt(data, path, variable.path());
      JsonNode value = ancestor == null ? null : ancestor.get(variable.alias());
      if (value == null || value.isNull()) {
        values.addNull();
      } else if (variable.selection().isEmpty()) {
        values.add(value);
      } else {
        values.add(projectValue(value, variable.selection(), fetch.aliasPrefix()));
      }
    }
    return values;
  }

  /**
   * The object at {@code ancestorPath} (response keys) on the way to a target whose path is {@code
   * targetPath} (keys and list indices): the keys are followed with the target's indices.
   */
  private static @Nullable JsonNode ancestorAt(
      ObjectNode data, List<Object> targetPath, List<String> ancestorPath) {
    JsonNode node = data;
    int keys = 0;
    for (Object step : targetPath) {
      if (step instanceof String key) {
        if (keys == ancestorPath.size()) {
          break;
        }
        keys++;
        node = node.get(key);
      } else {
        node = node.get((Integer) step);
      }
      if (node == null || node.isNull()) {
        return null;
      }
    }
    return keys == ancestorPath.size() && node instanceof ObjectNode ? node : null;
  }

  /**
   * A composite context value: the selected fields only (not the {@code __typename} fetched with
   * them).
   */
  private static JsonNode projectValue(JsonNode value, List<Selection> selections, String prefix) {
    if (value instanceof ArrayNode array) {
      ArrayNode result = NODES.arrayNode();
      array.forEach(element -> result.add(projectValue(element, selections, prefix)));
      return result;
    }
    if (value instanceof ObjectNode object) {
      ObjectNode result = NODES.objectNode();
      project(object, selections, result, prefix);
      return result;
    }
    return value;
  }

  /** Moves every value under a renamed alias back to the response key the operation expects. */
  private static void rename(JsonNode node, Map<String, String> renames) {
    if (renames.isEmpty()) {
      return;
    }
    if (node instanceof ArrayNode array) {
      array.forEach(element -> rename(element, renames));
    } else if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        rename(value, renames);
        String target = renames.get(name);
        if (target != null) {
          object.remove(name);
          object.set(target, value);
        }
      }
    }
  }

  private static void collect(
      JsonNode node, List<String> path, int depth, @Nullable PathLink at, List<Target> out) {
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        collect(array.get(i), path, depth, new PathLink(at, i), out);
      }
      return;
    }
    if (!(node instanceof ObjectNode object)) {
      return;
    }
    if (depth == path.size()) {
      out.add(new Target(object, at));
      return;
    }
    String key = path.get(depth);
    JsonNode child = object.get(key);
    if (child == null || child.isNull()) {
      return;
    }
    collect(child, path, depth + 1, new PathLink(at, key), out);
  }

  /**
   * Copies the selected fields of {@code source} into {@code out}; false if a key field is missing.
   */
  private static boolean project(
      ObjectNode source, List<Selection> selections, ObjectNode out, String prefix) {
    for (Selection selection : selections) {
      switch (selection) {
        case Selection.Field field -> {
          JsonNode value = source.get(QueryPlanner.internalAlias(prefix, field));
          if (value == null) {
            value = source.get(field.responseKey());
          }
          if (value == null) {
            if (field.name().equals("__typename")) {
              continue;
            }
            return false;
          }
          if (value.isNull()) {
            out.putNull(field.name());
            continue;
          }
          if (field.isLeaf()) {
            out.set(field.name(), value);
          } else if (value instanceof ArrayNode array) {
            out.set(field.name(), projectArray(array, field.selections(), prefix));
          } else if (value instanceof ObjectNode object) {
            ObjectNode child = NODES.objectNode();
            project(object, field.selections(), child, prefix);
            out.set(field.name(), child);
          }
        }
        case Selection.Fragment fragment -> {
          // A representation's fragment names the fetch's entity type; objects reach here only
          // when that fetch accepts their runtime type (an interface object's fragment names the
          // interface while the object carries its concrete __typename), so it always applies.
          if (!project(source, fragment.selections(), out, prefix)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static boolean hasNullKey(ObjectNode representation, List<String> keyFields) {
    for (String key : keyFields) {
      JsonNode value = representation.get(key);
      if (value == null || value.isNull()) {
        return true;
      }
    }
    return false;
  }

  private static ArrayNode projectArray(
      ArrayNode array, List<Selection> selections, String prefix) {
    ArrayNode result = NODES.arrayNode();
    for (JsonNode element : array) {
      if (element instanceof ObjectNode object) {
        ObjectNode child = NODES.objectNode();
        project(object, selections, child, prefix);
        result.add(child);
      } else if (element instanceof ArrayNode nested) {
        result.add(projectArray(nested, selections, prefix));
      } else {
        result.add(element);
      }
    }
    return result;
  }

  private static void mergeEntity(ObjectNode target, ObjectNode entity, String entityType) {
    Iterator<Map.Entry<String, JsonNode>> fields = entity.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("__typename")
          && target.has("__typename")
          && field.getValue().asText().equals(entityType)) {
        // An interface object answers with the interface's name; the concrete type stays.
        // A concrete name (from the interface's owner) replaces an interface name.
        continue;
      }
      JsonNode existing = target.get(field.getKey());
      if (existing != null && existing.isObject() && field.getValue().isObject()) {
        merge((ObjectNode) existing, (ObjectNode) field.getValue());
      } else if (existing instanceof ArrayNode a
          && field.getValue() instanceof ArrayNode b
          && a.size() == b.size()) {
        mergeArrays(a, b);
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  static void merge(ObjectNode target, ObjectNode source) {
    Iterator<Map.Entry<String, JsonNode>> fields = source.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode existing = target.get(field.getKey());
      if (existing instanceof ObjectNode a && field.getValue() instanceof ObjectNode b) {
        merge(a, b);
      } else if (existing instanceof ArrayNode a
          && field.getValue() instanceof ArrayNode b
          && a.size() == b.size()) {
        mergeArrays(a, b);
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }

  private static void mergeArrays(ArrayNode target, ArrayNode source) {
    for (int i = 0; i < target.size(); i++) {
      JsonNode a = target.get(i);
      JsonNode b = source.get(i);
      if (a instanceof ObjectNode ao && b instanceof ObjectNode bo) {
        merge(ao, bo);
      } else if (a instanceof ArrayNode aa && b instanceof ArrayNode ba && aa.size() == ba.size()) {
        mergeArrays(aa, ba);
      } else {
        target.set(i, b);
      }
    }
  }

  private static ObjectNode usedVariables(PlanNode.Fetch fetch, State state) {
    ObjectNode variables = NODES.objectNode();
    for (String name : fetch.variableUsages()) {
      JsonNode value = state.variables.get(name);
      if (value != null) {
        variables.set(name, value);
      }
    }
    return variables;
  }

  private static ObjectNode fetchError(PlanNode.Fetch fetch, Throwable error, List<Object> path) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    ObjectNode node = NODES.objectNode();
    node.put("message", cause.getMessage() == null ? cause.toString() : cause.getMessage());
    if (!path.isEmpty()) {
      node.set("path", toPath(path));
    }
    ObjectNode extensions = node.putObject("extensions");
    extensions.put(
        "code", cause instanceof SubgraphException s ? s.code() : "SUBGRAPH_REQUEST_FAILED");
    extensions.put("serviceName", fetch.subgraph());
    return node;
  }

  private static ObjectNode subgraphError(
      String subgraph, JsonNode error, List<List<Target>> targetsByIndex) {
    ObjectNode node = NODES.objectNode();
    node.put("message", error.path("message").asText("subgraph error"));
    JsonNode path = error.get("path");
    if (path instanceof ArrayNode array) {
      if (targetsByIndex != null
          && array.size() >= 2
          && array.get(0).asText().equals("_entities")
          && array.get(1).canConvertToInt()
          && array.get(1).asInt() < targetsByIndex.size()) {
        List<Object> mapped =
            new ArrayList<>(targetsByIndex.get(array.get(1).asInt()).get(0).path());
        for (int i = 2; i < array.size(); i++) {
          mapped.add(array.get(i).isInt() ? (Object) array.get(i).asInt() : array.get(i).asText());
        }
        node.set("path", toPath(mapped));
      } else if (targetsByIndex == null) {
        node.set("path", array);
      }
    }
    ObjectNode extensions =
        error.get("extensions") instanceof ObjectNode e ? e.deepCopy() : NODES.objectNode();
    if (!extensions.hasNonNull("code")) {
      extensions.put("code", "DOWNSTREAM_SERVICE_ERROR");
    }
    extensions.put("serviceName", subgraph);
    node.set("extensions", extensions);
    return node;
  }

  private static ArrayNode toPath(List<Object> path) {
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
