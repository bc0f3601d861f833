package io.meshgate.gateway.testkit;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import io.meshgate.gateway.testkit.BenchmarkData.Review;
import io.meshgate.gateway.testkit.FederatedSchemas.EntityType;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The benchmark's reviews subgraph: owns reviews and extends users and products with theirs.
 *
 * <p>It reproduces the original benchmark subgraph, whose data has no review authors: every
 * review's author is the first user (with the username it {@code @provides}), and every user's
 * reviews are the first two reviews. A product's reviews are those naming its upc.
 */
public final class ReviewsSubgraph {

  /**
   * The subgraph schema as a subgraph author writes it; federation-jvm adds {@code _service} and
   * {@code _entities}.
   */
  public static final String SDL =
      """
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

      type Review @key(fields: "id") {
        id: ID!
        body: String
        product: Product
        author: User @provides(fields: "username")
      }

      type User @key(fields: "id") {
        id: ID!
        username: String @external
        reviews: [Review]
      }

      type Product @key(fields: "upc") {
        upc: String!
        reviews: [Review]
      }
      """;

  private static final int REVIEWS_PER_USER = 2;

  /** A user as reviews sees it; {@code username} is known only where this subgraph provides it. */
  record Author(String id, @Nullable String username) {}

  /** A product as reviews sees it: its key. */
  record ReviewedProduct(String upc) {}

  private ReviewsSubgraph() {}

  /** The executable subgraph over {@code data}. */
  public static GraphQLSchema schema(BenchmarkData data) {
    BenchmarkData.User firstUser = data.users().getFirst();
    Author author = new Author(firstUser.id(), firstUser.username());
    List<Review> reviewsOfEveryUser = data.reviews().subList(0, REVIEWS_PER_USER);
    RuntimeWiring wiring =
        RuntimeWiring.newRuntimeWiring()
            .type(
                "Review",
                review ->
                    review
                        .dataFetcher(
                            "product",
                            env -> new ReviewedProduct(env.<Review>getSource().productUpc()))
                        .dataFetcher("author", env -> author))
            .type(
                "User",
                user ->
                    user.dataFetcher("id", env -> env.<Author>getSource().id())
                        .dataFetcher("username", env -> env.<Author>getSource().username())
                        .dataFetcher("reviews", env -> reviewsOfEveryUser))
            .type(
                "Product",
                product ->
                    product
                        .dataFetcher("upc", env -> env.<ReviewedProduct>getSource().upc())
                        .dataFetcher(
                            "reviews",
                            env -> reviewsOf(data, env.<ReviewedProduct>getSource().upc())))
            .build();
    return FederatedSchemas.build(
        SDL,
        wiring,
        List.of(
            new EntityType(
                "Review",
                Review.class,
                representation -> data.review(FederatedSchemas.key(representation, "id"))),
            new EntityType(
                "User",
                Author.class,
                representation ->
                    Optional.of(new Author(FederatedSchemas.key(representation, "id"), null))),
            new EntityType(
                "Product",
                ReviewedProduct.class,
                representation ->
                    Optional.of(
                        new ReviewedProduct(FederatedSchemas.key(representation, "upc"))))));
  }

  private static List<Review> reviewsOf(BenchmarkData data, String upc) {
    return data.reviews().stream().filter(review -> review.productUpc().equals(upc)).toList();
  }
}
