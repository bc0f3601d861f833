package io.meshgate.launcher.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.launcher.fuzz.SchemaModel.Field;
import io.meshgate.launcher.fuzz.SchemaModel.Type;
import io.meshgate.launcher.fuzz.SchemaModel.TypeRef;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperationGeneratorTest {

  private static final List<Target> TARGETS =
      List.of(
          new Target("gateway", URI.create("http://127.0.0.1:1/graphql")),
          new Target("sales", URI.create("http://127.0.0.1:2/graphql")));

  /**
   * Query { customer(id: ID!): Customer }, Customer { id name orders(first: Int): [Order] }, Order
   * { customer }.
   */
  private static SchemaModel schema() {
    TypeRef id = new TypeRef("NON_NULL", null, new TypeRef("SCALAR", "ID", null));
    TypeRef customer = new TypeRef("OBJECT", "Customer", null);
    TypeRef orders = new TypeRef("LIST", null, new TypeRef("OBJECT", "Order", null));
    Type query =
        new Type(
            "OBJECT",
            "Query",
            List.of(new Field("customer", List.of(new SchemaModel.Arg("id", id)), customer)),
            List.of(),
            List.of(),
            List.of());
    Type customerType =
        new Type(
            "OBJECT",
            "Customer",
            List.of(
                new Field("id", List.of(), id),
                new Field("name", List.of(), new TypeRef("SCALAR", "String", null)),
                new Field(
                    "orders",
                    List.of(new SchemaModel.Arg("first", new TypeRef("SCALAR", "Int", null))),
                    orders)),
            List.of(),
            List.of(),
            List.of());
    Type order =
        new Type(
            "OBJECT",
            "Order",
            List.of(new Field("customer", List.of(), customer)),
            List.of(),
            List.of(),
            List.of());
    return new SchemaModel(
        "Query", Map.of("Query", query, "Customer", customerType, "Order", order));
  }

  private static OperationGenerator generator(long seed) {
    return new OperationGenerator(seed, TARGETS, Map.of("gateway", schema()));
  }

  @Test
  void theSameSeedAndIndexGiveTheSameRequestWhateverWasGeneratedBefore() {
    OperationGenerator first = generator(42);
    OperationGenerator second = generator(42);
    for (int i = 0; i < 200; i++) {
      first.generate(i);
    }
    for (int i : new int[] {0, 17, 199, 123_456}) {
      FuzzRequest a = first.generate(i);
      FuzzRequest b = second.generate(i);
      assertThat(b.body()).isEqualTo(a.body());
      assertThat(b.rawQuery()).isEqualTo(a.rawQuery());
      assertThat(b.preview(10_000)).isEqualTo(a.preview(10_000));
    }
    assertThat(generator(43).generate(17).preview(10_000))
        .isNotEqualTo(first.generate(17).preview(10_000));
  }

  @Test
  void everyCategoryIsDrawnAndEveryEndpointGetsItsShare() {
    OperationGenerator generator = generator(7);
    Set<Category> seen = EnumSet.noneOf(Category.class);
    int gateway = 0;
    for (int i = 0; i < 2_000; i++) {
      seen.add(generator.generate(i).category());
      gateway += generator.target(i).name().equals("gateway") ? 1 : 0;
    }
    assertThat(seen).containsExactlyInAnyOrder(Category.values());
    assertThat(gateway).isEqualTo(1_000);
  }

  @Test
  void aSchemaCycleMakesValidQueriesAsDeepAsAsked() {
    OperationGenerator.Cycle cycle = OperationGenerator.Cycle.find(schema());
    assertThat(cycle).isNotNull();
    assertThat(cycle.toStart()).extracting(Field::name).containsExactly("customer");
    assertThat(cycle.loop()).extracting(Field::name).containsExactly("orders", "customer");
  }

  @Test
  void loneSurrogatesAndNulGoOutAsJsonEscapes() {
    String json =
        new String(
            OperationGenerator.jsonStringForTest("a\u0000\ud800\"\u00e9"), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("\"a\\u0000\\ud800\\\"\u00e9\"");
  }
}
