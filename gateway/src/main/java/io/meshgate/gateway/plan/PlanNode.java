package io.meshgate.gateway.plan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A node of a query plan. Plans are data: printable, comparable and cacheable, interpreted by the
 * executor.
 */
public sealed interface PlanNode
    permits PlanNode.Fetch, PlanNode.Flatten, PlanNode.Sequence, PlanNode.Parallel {

  /** The node as JSON, for debugging and golden files. */
  ObjectNode toJson();

  /**
   * A variable of an entity fetch whose value comes from an ancestor of each entity
   * ({@code @fromContext}): the executor reads it per entity and sends one request per distinct set
   * of values.
   *
   * @param name the variable's name in the fetch's operation (without {@code $})
   * @param type the variable's declared type, e.g. {@code String}
   * @param path the ancestor's response path from the root (response keys; lists are walked along
   *     each entity's own path)
   * @param alias the response key under which an earlier fetch put the context's value on the
   *     ancestor object
   * @param selection what the value is made of below the alias (empty for a leaf)
   */
  record ContextVariable(
      String name, String type, List<String> path, String alias, List<Selection> selection) {

    /** The variable as JSON, for plans. */
    ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("variable", name);
      node.put("type", type);
      ArrayNode keys = node.putArray("path");
      path.forEach(keys::add);
      node.put("alias", alias);
      if (!selection.isEmpty()) {
        node.put("selection", Printer.print(selection));
      }
      return node;
    }

    /** The variable as plan text, e.g. {@code $__mg_ctx0: String <- users.__mg_ctx0_locale}. */
    String toText() {
      List<String> keys = new ArrayList<>(path);
      keys.add(alias);
      return "$"
          + name
          + ": "
          + type
          + " <- "
          + String.join(".", keys)
          + (selection.isEmpty() ? "" : " " + Printer.print(selection));
    }
  }

  /**
   * One request to one subgraph.
   *
   * @param subgraph subgraph name
   * @param operation the GraphQL document sent
   * @param operationKind query or mutation
   * @param variableUsages client variables the operation uses (forwarded)
   * @param entityType for an entity fetch, the {@code __typename} of the representations
   * @param requires for an entity fetch, the representation's selection (key and required fields)
   * @param acceptsTypes for an entity fetch, the runtime types of objects it applies to
   * @param keyFields for an entity fetch, the top-level fields of its key (never null in a
   *     representation)
   * @param aliasPrefix the prefix of the aliases under which the planner fetched key and required
   *     fields that a client's field of the same response key hides; no client alias of the
   *     operation starts with it
   * @param renames response keys of the subgraph's answer to rename (alias to the key the operation
   *     expects), for fields two sibling fragments select with different types
   * @param contextVariables for an entity fetch, the variables whose values come from each entity's
   *     ancestors ({@code @fromContext}); empty if none
   */
  record Fetch(
      String subgraph,
      String operation,
      String operationKind,
      List<String> variableUsages,
      @Nullable String entityType,
      List<Selection> requires,
      Set<String> acceptsTypes,
      List<String> keyFields,
      String aliasPrefix,
      Map<String, String> renames,
      List<ContextVariable> contextVariables)
      implements PlanNode {

    /** True for an {@code _entities} fetch. */
    public boolean isEntityFetch() {
      return entityType != null;
    }

    @Override
    public ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("kind", "Fetch");
      node.put("serviceName", subgraph);
      if (entityType != null) {
        node.put("entityType", entityType);
        node.put("requires", Printer.print(requires));
      }
      ArrayNode usages = node.putArray("variableUsages");
      variableUsages.forEach(usages::add);
      if (!contextVariables.isEmpty()) {
        ArrayNode contexts = node.putArray("contextVariables");
        contextVariables.forEach(v -> contexts.add(v.toJson()));
      }
      node.put("operation", operation);
      return node;
    }
  }

  /** Applies a fetch to every object found at a response path (lists are flattened). */
  record Flatten(List<String> path, Fetch fetch) implements PlanNode {
    @Override
    public ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("kind", "Flatten");
      node.put(
          "path",
          String.join(".", path.stream().map(p -> p + ".@").toList()).replaceAll("\\.@$", ""));
      node.set("node", fetch.toJson());
      return node;
    }
  }

  /** Nodes run one after another. */
  record Sequence(List<PlanNode> nodes) implements PlanNode {
    @Override
    public ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("kind", "Sequence");
      ArrayNode children = node.putArray("nodes");
      nodes.forEach(n -> children.add(n.toJson()));
      return node;
    }
  }

  /** Nodes run concurrently. */
  record Parallel(List<PlanNode> nodes) implements PlanNode {
    @Override
    public ObjectNode toJson() {
      ObjectNode node = JsonNodeFactory.instance.objectNode();
      node.put("kind", "Parallel");
      ArrayNode children = node.putArray("nodes");
      nodes.forEach(n -> children.add(n.toJson()));
      return node;
    }
  }
}
