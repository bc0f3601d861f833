package io.meshgate.gateway.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Executes the benchmark's {@code TestQuery} against the four subgraphs the way a federation
 * gateway does, with the query plan written out by hand: two root fetches, then {@code _entities}
 * fetches that fill in what other subgraphs own, then a projection onto the operation's selections.
 * It proves the subgraphs reproduce the expected answer without any gateway.
 */
final class BenchmarkQueryByHand {

  /** What reviews resolves below a user, down to where other subgraphs take over. */
  private static final String REVIEWS_OF_USER =
      """
      reviews { id body product { upc reviews { id body author { id username reviews { id body product { upc } } } } } }
      """;

  /** What reviews resolves below a product. */
  private static final String REVIEWS_OF_PRODUCT =
      """
      reviews { id body author { id username reviews { id body product { upc } } } }
      """;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final GraphQLClient client;
  private final Map<String, URI> urls;
  private final List<String> fetches = new ArrayList<>();

  BenchmarkQueryByHand(GraphQLClient client, Map<String, URI> urls) {
    this.client = client;
    this.urls = urls;
  }

  /** The answer to {@link BenchmarkWorkload#query()}, as {@code {"data": ...}}. */
  ObjectNode execute() {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("users", fetch("accounts", "{ users { id username name } }").get("users"));
    root.set(
        "topProducts",
        fetch("products", "{ topProducts { upc name price weight } }").get("topProducts"));

    resolveEntities("reviews", nodesAt(root, "users"), "User", List.of("id"), REVIEWS_OF_USER);
    resolveEntities(
        "reviews", nodesAt(root, "topProducts"), "Product", List.of("upc"), REVIEWS_OF_PRODUCT);

    List<ObjectNode> reviewedProducts = new ArrayList<>();
    reviewedProducts.addAll(nodesAt(root, "users", "reviews", "product"));
    reviewedProducts.addAll(
        nodesAt(root, "users", "reviews", "product", "reviews", "author", "reviews", "product"));
    reviewedProducts.addAll(
        nodesAt(root, "topProducts", "reviews", "author", "reviews", "product"));
    resolveEntities("products", reviewedProducts, "Product", List.of("upc"), "name price weight");

    List<ObjectNode> allProducts = new ArrayList<>(nodesAt(root, "topProducts"));
    allProducts.addAll(reviewedProducts);
    resolveEntities(
        "inventory",
        allProducts,
        "Product",
        List.of("upc", "price", "weight"),
        "inStock shippingEstimate");

    List<ObjectNode> authors = new ArrayList<>();
    authors.addAll(nodesAt(root, "users", "reviews", "product", "reviews", "author"));
    authors.addAll(nodesAt(root, "topProducts", "reviews", "author"));
    resolveEntities("accounts", authors, "User", List.of("id"), "name");

    ObjectNode answer = MAPPER.createObjectNode();
    answer.set("data", projectOntoQuery(root, BenchmarkWorkload.query()));
    return answer;
  }

  /** The subgraph calls made, as {@code subgraph: query}, in order. */
  List<String> fetches() {
    return List.copyOf(fetches);
  }

  private JsonNode fetch(String subgraph, String query) {
    return fetch(subgraph, query, Map.of());
  }

  private JsonNode fetch(String subgraph, String query, Map<String, ?> variables) {
    fetches.add(subgraph + ": " + query.strip());
    GraphQLClient.Response response = client.post(urls.get(subgraph), query, variables);
    JsonNode json = response.json();
    if (response.status() != 200 || json.has("errors")) {
      throw new AssertionError(
          subgraph + " answered HTTP " + response.status() + ": " + response.body());
    }
    return json.get("data");
  }

  /**
   * Fetches {@code selection} of the {@code typename} entities at {@code targets} from {@code
   * subgraph} in one {@code _entities} call with deduplicated representations, and merges each
   * answer into its target objects.
   */
  private void resolveEntities(
      String subgraph,
      List<ObjectNode> targets,
      String typename,
      List<String> keyFields,
      String selection) {
    Map<String, ObjectNode> representations = new LinkedHashMap<>();
    List<String> targetKeys = new ArrayList<>();
    for (ObjectNode target : targets) {
      ObjectNode representation = MAPPER.createObjectNode().put("__typename", typename);
      keyFields.forEach(field -> representation.set(field, required(target, field)));
      String key = representation.toString();
      representations.putIfAbsent(key, representation);
      targetKeys.add(key);
    }
    List<String> order = List.copyOf(representations.keySet());
    String query =
        "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on "
            + typename
            + " { "
            + selection.strip()
            + " } } }";
    JsonNode entities =
        fetch(subgraph, query, Map.of("representations", representations.values()))
            .get("_entities");
    for (int i = 0; i < targets.size(); i++) {
      JsonNode entity = entities.get(order.indexOf(targetKeys.get(i)));
      targets.get(i).setAll((ObjectNode) entity.deepCopy());
    }
  }

  /**
   * The objects reached from {@code root} along {@code path}, lists flattened and nulls skipped.
   */
  private static List<ObjectNode> nodesAt(JsonNode root, String... path) {
    List<JsonNode> level = List.of(root);
    for (String field : path) {
      List<JsonNode> next = new ArrayList<>();
      for (JsonNode node : level) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
          continue;
        }
        if (value.isArray()) {
          value.forEach(next::add);
        } else {
          next.add(value);
        }
      }
      level = next;
    }
    return level.stream().filter(JsonNode::isObject).map(ObjectNode.class::cast).toList();
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new AssertionError("no " + field + " in " + node);
    }
    return value;
  }

  /**
   * Keeps exactly the fields the operation selects, in its selection order, as a gateway's response
   * does.
   */
  private static ObjectNode projectOntoQuery(JsonNode data, String query) {
    Document document = Parser.parse(query);
    Map<String, FragmentDefinition> fragments =
        document.getDefinitionsOfType(FragmentDefinition.class).stream()
            .collect(Collectors.toMap(FragmentDefinition::getName, fragment -> fragment));
    OperationDefinition operation =
        document.getDefinitionsOfType(OperationDefinition.class).getFirst();
    ObjectNode projected = MAPPER.createObjectNode();
    project(data, operation.getSelectionSet(), fragments, projected);
    return projected;
  }

  private static void project(
      JsonNode source,
      SelectionSet selectionSet,
      Map<String, FragmentDefinition> fragments,
      ObjectNode target) {
    for (Selection<?> selection : selectionSet.getSelections()) {
      switch (selection) {
        case Field field ->
            target.set(
                field.getResultKey(),
                projectValue(
                    required(source, field.getName()), field.getSelectionSet(), fragments));
        case FragmentSpread spread ->
            project(source, fragments.get(spread.getName()).getSelectionSet(), fragments, target);
        case InlineFragment inline -> project(source, inline.getSelectionSet(), fragments, target);
        default -> throw new IllegalArgumentException("unexpected selection " + selection);
      }
    }
  }

  private static JsonNode projectValue(
      JsonNode value,
      @Nullable SelectionSet selectionSet,
      Map<String, FragmentDefinition> fragments) {
    if (selectionSet == null || value.isNull()) {
      return value;
    }
    if (value.isArray()) {
      ArrayNode projected = MAPPER.createArrayNode();
      value.forEach(element -> projected.add(projectValue(element, selectionSet, fragments)));
      return projected;
    }
    if (!value.isObject()) {
      throw new AssertionError("selection on a leaf value " + value);
    }
    ObjectNode projected = MAPPER.createObjectNode();
    project(value, selectionSet, fragments, projected);
    return projected;
  }
}
