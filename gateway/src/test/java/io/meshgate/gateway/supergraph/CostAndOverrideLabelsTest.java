package io.meshgate.gateway.supergraph;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.compose.Composer;
import io.meshgate.gateway.compose.SubgraphSchema;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cost hints and progressive-override labels survive composition and are read from the supergraph.
 */
class CostAndOverrideLabelsTest {

  private static final String SEARCH =
      """
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9",
        import: ["@key", "@cost", "@listSize", "@override"])
      type Query {
        hits(first: Int = 10): [Hit!]! @listSize(slicingArguments: ["first"], assumedSize: 50) @cost(weight: 3)
      }
      type Hit @key(fields: "id") @cost(weight: 2) {
        id: ID!
        score: Float @override(from: "ranking", label: "percent(25)")
      }
      """;

  private static final String RANKING =
      """
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@cost"])
      type Hit @key(fields: "id") {
        id: ID!
        score: Float @cost(weight: 7)
      }
      """;

  private static Supergraph composed() {
    return Supergraph.parse(
        Composer.compose(
            List.of(
                SubgraphSchema.parse("search", URI.create("http://search/graphql"), SEARCH),
                SubgraphSchema.parse("ranking", URI.create("http://ranking/graphql"), RANKING))));
  }

  @Test
  void keepsCostWeightsAndListSizesOfFieldsAndTypes() {
    Supergraph supergraph = composed();
    Supergraph.FieldInfo hits = supergraph.requireType("Query").fields().get("hits");
    assertThat(hits.cost()).isEqualTo(3);
    assertThat(hits.listSize())
        .isEqualTo(new Supergraph.ListSize(50, List.of("first"), List.of(), true));
    assertThat(supergraph.requireType("Hit").cost()).isEqualTo(2);
    assertThat(supergraph.requireType("Hit").fields().get("score").cost()).isEqualTo(7);
    assertThat(supergraph.requireType("Hit").fields().get("id").cost()).isNull();
  }

  @Test
  void progressiveOverrideMovesTheFieldOnlyWhileItsLabelIsOn() {
    Supergraph supergraph = composed();
    Supergraph.TypeInfo hit = supergraph.requireType("Hit");
    Supergraph.FieldInfo score = hit.fields().get("score");
    assertThat(supergraph.overrideLabels()).containsExactly("percent(25)");
    assertThat(supergraph.graphsResolving(hit, score, Set.of("percent(25)")))
        .containsExactly("search");
    assertThat(supergraph.graphsResolving(hit, score, Set.of())).containsExactly("ranking");
  }
}
