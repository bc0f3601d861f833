package io.meshgate.audit.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.language.Argument;
import graphql.language.Directive;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.StringValue;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * What the products' contracts under {@code meshgate/<product>/} on the classpath say about their
 * entities: the entities (one per {@code events/<entity>.v1.schema.json}), the GraphQL type each is
 * served as ({@code catalog/product.json}'s {@code graphqlTypes}, else the entity name in
 * PascalCase), and that type's definition in the product's SDL ({@code graphql/*.graphqls}).
 */
public final class ProductContracts {

  private static final Pattern DESCRIPTOR =
      Pattern.compile(".*/meshgate/([a-z][a-z0-9-]*)/catalog/product\\.json$");
  private static final Pattern EVENT_SCHEMA =
      Pattern.compile("([a-z][a-z0-9_]*)\\.v\\d+\\.schema\\.json");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One product entity as its contracts describe it.
   *
   * @param product the product
   * @param entity the entity (operational table, change topic {@code
   *     mesh.<product>.<entity>.changes})
   * @param typeName the GraphQL type it is served as
   * @param keyedById whether the product's SDL declares that type with {@code @key(fields: "id")}
   * @param fieldNames the fields the product's SDL gives the type (empty if it has none)
   */
  public record ProductEntity(
      String product, String entity, String typeName, boolean keyedById, Set<String> fieldNames) {}

  private final Map<String, List<ProductEntity>> entitiesByProduct;
  private final Map<String, Set<String>> fieldsByType;

  private ProductContracts(
      Map<String, List<ProductEntity>> entitiesByProduct, Map<String, Set<String>> fieldsByType) {
    this.entitiesByProduct = entitiesByProduct;
    this.fieldsByType = fieldsByType;
  }

  /** Reads every product's contracts on the classpath. */
  public static ProductContracts fromClasspath() {
    return fromClasspath(
        new PathMatchingResourcePatternResolver(ProductContracts.class.getClassLoader()));
  }

  static ProductContracts fromClasspath(ResourcePatternResolver resolver) {
    try {
      Map<String, List<ProductEntity>> byProduct = new LinkedHashMap<>();
      List<String> products = new ArrayList<>();
      for (Resource descriptor :
          resolver.getResources("classpath*:meshgate/*/catalog/product.json")) {
        Matcher matcher = DESCRIPTOR.matcher(descriptor.getURL().toString());
        if (matcher.matches()) {
          products.add(matcher.group(1));
        }
      }
      Map<String, Set<String>> fieldsByType = new LinkedHashMap<>();
      for (String product : products.stream().distinct().sorted().toList()) {
        byProduct.put(product, read(resolver, product, fieldsByType));
      }
      return new ProductContracts(byProduct, fieldsByType);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the products' contracts from the classpath", e);
    }
  }

  private static List<ProductEntity> read(
      ResourcePatternResolver resolver, String product, Map<String, Set<String>> fieldsByType)
      throws IOException {
    JsonNode descriptor =
        readJson(resolver.getResource("classpath:meshgate/" + product + "/catalog/product.json"));
    TypeDefinitionRegistry sdl = new TypeDefinitionRegistry();
    for (Resource file :
        sorted(resolver.getResources("classpath*:meshgate/" + product + "/graphql/*.graphqls"))) {
      try (InputStream in = file.getInputStream()) {
        sdl.merge(new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    for (ObjectTypeDefinition type : sdl.getTypes(ObjectTypeDefinition.class)) {
      definitions(sdl, type.getName())
          .forEach(
              def ->
                  def.getFieldDefinitions()
                      .forEach(
                          field ->
                              fieldsByType
                                  .computeIfAbsent(type.getName(), name -> new LinkedHashSet<>())
                                  .add(field.getName())));
    }
    Set<String> entities = new LinkedHashSet<>();
    for (Resource schema :
        sorted(resolver.getResources("classpath*:meshgate/" + product + "/events/*.schema.json"))) {
      Matcher matcher = EVENT_SCHEMA.matcher(String.valueOf(schema.getFilename()));
      if (matcher.matches()) {
        entities.add(matcher.group(1));
      }
    }
    List<ProductEntity> result = new ArrayList<>();
    for (String entity : entities) {
      String typeName =
          Optional.ofNullable(descriptor.path("graphqlTypes").get(entity))
              .filter(JsonNode::isTextual)
              .map(JsonNode::textValue)
              .orElse(pascalCase(entity));
      List<ObjectTypeDefinition> definitions = definitions(sdl, typeName);
      boolean keyedById =
          definitions.stream()
              .flatMap(def -> def.getDirectives("key").stream())
              .anyMatch(ProductContracts::isIdKey);
      Set<String> fields = new LinkedHashSet<>();
      definitions.forEach(
          def ->
              def.getFieldDefinitions().stream()
                  .map(FieldDefinition::getName)
                  .forEach(fields::add));
      result.add(new ProductEntity(product, entity, typeName, keyedById, Set.copyOf(fields)));
    }
    return List.copyOf(result);
  }

  private static List<ObjectTypeDefinition> definitions(
      TypeDefinitionRegistry sdl, String typeName) {
    List<ObjectTypeDefinition> definitions = new ArrayList<>();
    ObjectTypeDefinition type = sdl.getTypeOrNull(typeName, ObjectTypeDefinition.class);
    if (type != null) {
      definitions.add(type);
    }
    definitions.addAll(sdl.objectTypeExtensions().getOrDefault(typeName, List.of()));
    return definitions;
  }

  private static boolean isIdKey(Directive key) {
    Argument fields = key.getArgument("fields");
    return fields != null
        && fields.getValue() instanceof StringValue value
        && value.getValue().trim().equals("id");
  }

  /**
   * The resources by file name, each name once: the first on the classpath wins, since a contract
   * on the classpath twice (a module's classes and its jar) must not be read twice.
   */
  private static List<Resource> sorted(Resource[] resources) {
    Map<String, Resource> byName = new LinkedHashMap<>();
    for (Resource resource : resources) {
      byName.putIfAbsent(String.valueOf(resource.getFilename()), resource);
    }
    return byName.values().stream()
        .sorted(Comparator.comparing(r -> String.valueOf(r.getFilename())))
        .toList();
  }

  private static JsonNode readJson(Resource resource) throws IOException {
    try (InputStream in = resource.getInputStream()) {
      return JSON.readTree(in);
    }
  }

  /** {@code ledger_transaction} to {@code LedgerTransaction}. */
  static String pascalCase(String entity) {
    StringBuilder name = new StringBuilder();
    Arrays.stream(entity.split("_"))
        .filter(part -> !part.isEmpty())
        .forEach(
            part ->
                name.append(part.substring(0, 1).toUpperCase(Locale.ROOT))
                    .append(part.substring(1)));
    return name.toString();
  }

  /** The products that have contracts, by name. */
  public Set<String> products() {
    return entitiesByProduct.keySet();
  }

  /** A product's entities, in file-name order; empty if it has no contracts. */
  public List<ProductEntity> entities(String product) {
    return entitiesByProduct.getOrDefault(product, List.of());
  }

  /** The fields every product's SDL gives the type {@code typeName}, together. */
  public Set<String> fieldsOfType(String typeName) {
    return fieldsByType.getOrDefault(typeName, Set.of());
  }

  /** Every product's entities. */
  public List<ProductEntity> all() {
    return entitiesByProduct.values().stream().flatMap(List::stream).toList();
  }
}
