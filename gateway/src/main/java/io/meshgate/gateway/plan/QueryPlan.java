package io.meshgate.gateway.plan;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;

/**
 * The plan of one operation.
 *
 * @param operation the normalized operation it answers
 * @param root the fetches to run, or null when nothing needs a subgraph (e.g. pure introspection)
 */
public record QueryPlan(NormalizedOperation operation, @Nullable PlanNode root) {

  /** The plan as JSON ({@code {"kind":"QueryPlan","node":...}}). */
  public ObjectNode toJson() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("kind", "QueryPlan");
    if (root != null) {
      node.set("node", root.toJson());
    }
    return node;
  }

  /** The plan as indented text. */
  public String toText() {
    StringBuilder out = new StringBuilder("QueryPlan {\n");
    if (root != null) {
      text(root, 1, out);
    }
    return out.append("}").toString();
  }

  private static void text(PlanNode node, int depth, StringBuilder out) {
    String indent = "  ".repeat(depth);
    switch (node) {
      case PlanNode.Fetch fetch -> {
        out.append(indent).append("Fetch(service: \"").append(fetch.subgraph()).append("\") {\n");
        for (PlanNode.ContextVariable variable : fetch.contextVariables()) {
          out.append(indent).append("  context ").append(variable.toText()).append('\n');
        }
        out.append(indent)
            .append("  ")
            .append(
                fetch.entityType() == null
                    ? ""
                    : Printer.print(fetch.requires()) + " =>\n" + indent + "  ")
            .append(fetch.operation())
            .append('\n')
            .append(indent)
            .append("},\n");
      }
      case PlanNode.Flatten flatten -> {
        out.append(indent)
            .append("Flatten(path: \"")
            .append(String.join(".@.", flatten.path()))
            .append("\") {\n");
        text(flatten.fetch(), depth + 1, out);
        out.append(indent).append("},\n");
      }
      case PlanNode.Sequence sequence -> {
        out.append(indent).append("Sequence {\n");
        sequence.nodes().forEach(n -> text(n, depth + 1, out));
        out.append(indent).append("},\n");
      }
      case PlanNode.Parallel parallel -> {
        out.append(indent).append("Parallel {\n");
        parallel.nodes().forEach(n -> text(n, depth + 1, out));
        out.append(indent).append("},\n");
      }
    }
  }
}
