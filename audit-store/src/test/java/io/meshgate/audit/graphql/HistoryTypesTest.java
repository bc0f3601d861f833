package io.meshgate.audit.graphql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.apollographql.federation.graphqljava.Federation;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

class HistoryTypesTest {

  @Test
  void generatesHistoryForEveryEntityTypeKeyedByIdInTheContracts() {
    HistoryTypes types = HistoryTypes.of(ProductContracts.fromClasspath());

    assertThat(types.typeNames())
        .containsExactlyInAnyOrder(
            "Customer", "Order", "InventoryItem", "Account", "Transaction", "Invoice");
    assertThat(types.entity("Transaction"))
        .get()
        .satisfies(
            entity ->
                assertThat(entity.product() + "/" + entity.entity())
                    .isEqualTo("finance/ledger_transaction"));
    assertThat(types.entity("Order"))
        .get()
        .satisfies(entity -> assertThat(entity.product()).isEqualTo("distribution"));
    // Warehouse, OrderLine and Shipment have no @key: nothing to attach history to.
    assertThat(types.entity("Warehouse")).isEmpty();
  }

  @Test
  void generatedSdlBuildsAFederatedSchemaWithTheAuditSdl() throws IOException {
    HistoryTypes types = HistoryTypes.of(ProductContracts.fromClasspath());
    TypeDefinitionRegistry registry =
        new SchemaParser().parse(resource("/meshgate/audit/graphql/audit.graphqls"));
    registry.merge(new SchemaParser().parse(types.sdl()));

    GraphQLSchema schema =
        Federation.transform(registry, RuntimeWiring.newRuntimeWiring().build())
            .fetchEntities(env -> null)
            .resolveEntityType(env -> null)
            .build();

    GraphQLObjectType invoice = schema.getObjectType("Invoice");
    assertThat(invoice.getFieldDefinition("history").getArgument("first")).isNotNull();
    assertThat(invoice.getFieldDefinitions())
        .extracting(field -> field.getName())
        .containsExactly("id", "history");
    assertThat(schema.getQueryType().getFieldDefinition("_entities")).isNotNull();
  }

  @Test
  void auditTypesAndQueriesDoNotClashWithTheProducts() throws IOException {
    ProductContracts contracts = ProductContracts.fromClasspath();
    TypeDefinitionRegistry audit =
        new SchemaParser().parse(resource("/meshgate/audit/graphql/audit.graphqls"));

    for (String typeName : audit.types().keySet()) {
      Set<String> productFields = contracts.fieldsOfType(typeName);
      if (typeName.equals("Query") || typeName.equals("Mutation")) {
        // Root types are shared by every subgraph: only a field of the same name would clash.
        ObjectTypeDefinition root = audit.getTypeOrNull(typeName, ObjectTypeDefinition.class);
        assertThat(root.getFieldDefinitions())
            .as("root fields of %s", typeName)
            .extracting(FieldDefinition::getName)
            .doesNotContainAnyElementsOf(productFields);
      } else {
        assertThat(productFields).as("fields products give %s", typeName).isEmpty();
      }
    }
  }

  @Test
  void refusesATypeThatAlreadyHasAHistoryField(@TempDir Path root) throws IOException {
    writeProduct(
        root, "clash", "item", "type Item @key(fields: \"id\") { id: ID! history: String }");

    assertThatThrownBy(() -> HistoryTypes.of(contractsUnder(root)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Item.history would clash");
  }

  @Test
  void refusesTwoEntitiesServedAsOneType(@TempDir Path root) throws IOException {
    writeProduct(root, "one", "item", "type Item @key(fields: \"id\") { id: ID! }");
    writeProduct(root, "two", "item", "type Item @key(fields: \"id\") { id: ID! name: String }");

    assertThatThrownBy(() -> HistoryTypes.of(contractsUnder(root)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("serves both one/item and two/item");
  }

  @Test
  void readsAContractOnTheClasspathTwiceOnce(@TempDir Path classes, @TempDir Path jar)
      throws IOException {
    writeProduct(classes, "twice", "item", "type Item @key(fields: \"id\") { id: ID! }");
    writeProduct(jar, "twice", "item", "type Item @key(fields: \"id\") { id: ID! }");
    URLClassLoader loader =
        new URLClassLoader(new URL[] {classes.toUri().toURL(), jar.toUri().toURL()}, null);

    HistoryTypes types =
        HistoryTypes.of(
            ProductContracts.fromClasspath(new PathMatchingResourcePatternResolver(loader)));

    assertThat(types.typeNames()).containsExactly("Item");
  }

  @Test
  void skipsTypesKeyedByAnotherField(@TempDir Path root) throws IOException {
    writeProduct(root, "codes", "item", "type Item @key(fields: \"code\") { code: ID! }");

    assertThat(HistoryTypes.of(contractsUnder(root)).typeNames()).isEmpty();
  }

  private static void writeProduct(Path root, String product, String entity, String sdl)
      throws IOException {
    Path base = root.resolve("meshgate").resolve(product);
    Files.createDirectories(base.resolve("catalog"));
    Files.createDirectories(base.resolve("events"));
    Files.createDirectories(base.resolve("graphql"));
    Files.writeString(base.resolve("catalog/product.json"), "{\"product\":\"" + product + "\"}");
    Files.writeString(base.resolve("events/" + entity + ".v1.schema.json"), "{}");
    Files.writeString(base.resolve("graphql/" + product + ".graphqls"), sdl);
  }

  private static ProductContracts contractsUnder(Path root) throws IOException {
    URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    return ProductContracts.fromClasspath(new PathMatchingResourcePatternResolver(loader));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = HistoryTypesTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
