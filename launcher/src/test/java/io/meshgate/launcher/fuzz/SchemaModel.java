package io.meshgate.launcher.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an endpoint's introspection says, reduced to what the generator needs to build selections
 * that look valid: object fields with their arguments, input objects, enums and the members of
 * unions and interfaces.
 *
 * @param queryType the name of the root query type
 * @param types every named type by name, in the order the endpoint lists them
 */
public record SchemaModel(String queryType, Map<String, Type> types) {

  /** A type reference: {@code NON_NULL} and {@code LIST} wrap a named type. */
  public record TypeRef(String kind, @Nullable String name, @Nullable TypeRef ofType) {

    /** The named type inside the wrappers. */
    String named() {
      TypeRef t = this;
      while (t.name == null && t.ofType != null) {
        t = t.ofType;
      }
      return t.name == null ? "String" : t.name;
    }

    boolean nonNull() {
      return kind.equals("NON_NULL");
    }

    /** As written in a variable definition: {@code [ID!]!}. */
    String print() {
      return switch (kind) {
        case "NON_NULL" -> (ofType == null ? "String" : ofType.print()) + "!";
        case "LIST" -> "[" + (ofType == null ? "String" : ofType.print()) + "]";
        default -> name == null ? "String" : name;
      };
    }
  }

  /** An argument or an input field. */
  public record Arg(String name, TypeRef type) {}

  /** A field of an object or interface type. */
  public record Field(String name, List<Arg> args, TypeRef type) {}

  /** A named type. */
  public record Type(
      String kind,
      String name,
      List<Field> fields,
      List<Arg> inputFields,
      List<String> enumValues,
      List<String> possibleTypes) {

    boolean composite() {
      return kind.equals("OBJECT") || kind.equals("INTERFACE") || kind.equals("UNION");
    }
  }

  /**
   * A schema with only a query type that has {@code __typename}, for endpoints that refuse
   * introspection.
   */
  static SchemaModel empty() {
    return new SchemaModel(
        "Query",
        Map.of("Query", new Type("OBJECT", "Query", List.of(), List.of(), List.of(), List.of())));
  }

  @Nullable Type type(String name) {
    return types.get(name);
  }

  Type query() {
    Type q = types.get(queryType);
    return q == null ? empty().query() : q;
  }

  boolean isComposite(TypeRef ref) {
    Type t = types.get(ref.named());
    return t != null && t.composite();
  }

  private static final String TYPE_REF =
      "kind name ofType { kind name ofType { kind name ofType { kind name "
          + "ofType { kind name ofType { kind name } } } } }";

  /** Introspection without descriptions or directives: all the generator reads. */
  static final String INTROSPECTION =
      "query FuzzIntrospection { __schema { queryType { name } types { kind name"
          + " fields(includeDeprecated: true) { name args { name type { "
          + TYPE_REF
          + " } } type { "
          + TYPE_REF
          + " } }"
          + " inputFields { name type { "
          + TYPE_REF
          + " } } enumValues(includeDeprecated: true) { name }"
          + " possibleTypes { name } } } }";

  /**
   * Asks {@code target} for its schema once.
   *
   * @throws IOException when the endpoint does not answer the introspection with a schema
   */
  static SchemaModel introspect(HttpClient http, Target target, ObjectMapper json)
      throws IOException {
    String body = json.createObjectNode().put("query", INTROSPECTION).toString();
    HttpRequest request =
        HttpRequest.newBuilder(target.graphql())
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while introspecting " + target, e);
    }
    JsonNode schema = json.readTree(response.body()).path("data").path("__schema");
    if (!schema.isObject()) {
      throw new IOException(
          target
              + " answered the introspection with "
              + response.statusCode()
              + ": "
              + FuzzRequest.excerpt(response.body(), 300));
    }
    Map<String, Type> types = new LinkedHashMap<>();
    for (JsonNode t : schema.path("types")) {
      List<Field> fields = new ArrayList<>();
      for (JsonNode f : t.path("fields")) {
        fields.add(new Field(f.path("name").asText(), args(f.path("args")), ref(f.path("type"))));
      }
      List<String> enumValues = new ArrayList<>();
      t.path("enumValues").forEach(v -> enumValues.add(v.path("name").asText()));
      List<String> possible = new ArrayList<>();
      t.path("possibleTypes").forEach(v -> possible.add(v.path("name").asText()));
      String name = t.path("name").asText();
      types.put(
          name,
          new Type(
              t.path("kind").asText(),
              name,
              List.copyOf(fields),
              args(t.path("inputFields")),
              List.copyOf(enumValues),
              List.copyOf(possible)));
    }
    return new SchemaModel(schema.path("queryType").path("name").asText("Query"), types);
  }

  private static List<Arg> args(JsonNode node) {
    List<Arg> args = new ArrayList<>();
    node.forEach(a -> args.add(new Arg(a.path("name").asText(), ref(a.path("type")))));
    return List.copyOf(args);
  }

  private static TypeRef ref(JsonNode node) {
    JsonNode of = node.path("ofType");
    return new TypeRef(
        node.path("kind").asText("SCALAR"),
        node.path("name").isTextual() ? node.path("name").asText() : null,
        of.isObject() ? ref(of) : null);
  }
}
