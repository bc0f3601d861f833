package io.meshgate.gateway.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * The static data of the gateways-benchmark subgraphs, as read from {@code subgraph-data.json}.
 *
 * @param users served by accounts
 * @param products served by products (inventory and reviews know only their upc)
 * @param inventory served by inventory
 * @param reviews served by reviews, each naming the upc of its product
 */
public record BenchmarkData(
    List<User> users, List<Product> products, List<Stock> inventory, List<Review> reviews) {

  /** A user as the accounts subgraph owns it. */
  public record User(String id, String name, String username, int birthday) {}

  /** A product as the products subgraph owns it. */
  public record Product(String upc, String name, int price, int weight) {}

  /** The stock level of a product, owned by the inventory subgraph. */
  public record Stock(String upc, boolean inStock) {}

  /** A review of the product with {@code productUpc}, owned by the reviews subgraph. */
  public record Review(String id, String body, String productUpc) {}

  public BenchmarkData {
    users = List.copyOf(users);
    products = List.copyOf(products);
    inventory = List.copyOf(inventory);
    reviews = List.copyOf(reviews);
  }

  /** Parses {@code subgraph-data.json} of the workload. */
  public static BenchmarkData load() {
    return parse(BenchmarkWorkload.subgraphDataJson());
  }

  static BenchmarkData parse(String json) {
    ObjectMapper mapper =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    try {
      return mapper.readValue(json, BenchmarkData.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid benchmark subgraph data", e);
    }
  }

  Optional<User> user(String id) {
    return users.stream().filter(user -> user.id().equals(id)).findFirst();
  }

  Optional<Product> product(String upc) {
    return products.stream().filter(product -> product.upc().equals(upc)).findFirst();
  }

  Optional<Stock> stock(String upc) {
    return inventory.stream().filter(stock -> stock.upc().equals(upc)).findFirst();
  }

  Optional<Review> review(String id) {
    return reviews.stream().filter(review -> review.id().equals(id)).findFirst();
  }
}
