package io.meshgate.product.distribution;

import io.meshgate.runtime.subgraph.Ids;
import io.meshgate.runtime.subgraph.InvalidInputException;
import io.meshgate.schema.jooq.distribution.distribution.tables.records.OrdersRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.BatchMapping;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The distribution subgraph's operations. Queries read the read model; mutations write the source.
 * Nested fields are batch-loaded, one query per field per request.
 */
@Controller
class OrderController {

  private final OrderReadModel readModel;
  private final OrderStore store;
  private final InventoryStore inventory;

  OrderController(OrderReadModel readModel, OrderStore store, InventoryStore inventory) {
    this.readModel = readModel;
    this.store = store;
    this.inventory = inventory;
  }

  /** Resolves {@code InventoryItem} representations for the gateway, one query per batch. */
  @EntityMapping
  List<@Nullable InventoryItem> inventoryItem(@Argument List<String> idList) {
    List<UUID> ids = Ids.parseRepresentations(idList);
    Map<UUID, InventoryItem> found = readModel.findInventory(ids);
    List<@Nullable InventoryItem> result = new ArrayList<>(ids.size());
    ids.forEach(id -> result.add(found.get(id)));
    return result;
  }

  @BatchMapping(typeName = "Warehouse", field = "inventory")
  Map<Warehouse, List<InventoryItem>> warehouseInventory(List<Warehouse> warehouses) {
    Map<UUID, List<InventoryItem>> found =
        readModel.inventoryOf(
            warehouses.stream().map(w -> UUID.fromString(w.id())).distinct().toList());
    return Ids.byParent(warehouses, w -> found.get(UUID.fromString(w.id())));
  }

  @MutationMapping
  InventoryItem setInventory(
      @Argument String warehouseId, @Argument String sku, @Argument int quantityOnHand) {
    var row = inventory.set(ValidOrder.parseId("warehouseId", warehouseId), sku, quantityOnHand);
    return new InventoryItem(
        row.getId().toString(),
        row.getWarehouseId().toString(),
        row.getSku(),
        row.getQuantityOnHand(),
        row.getUpdatedAt().toInstant().toString());
  }

  @QueryMapping
  @Nullable Order order(@Argument String id) {
    return readModel.find(ValidOrder.parseId("id", id)).orElse(null);
  }

  @QueryMapping
  OrderPage orders(
      @Argument @Nullable Integer first,
      @Argument @Nullable String after,
      @Argument @Nullable String customerId) {
    UUID customer = customerId == null ? null : ValidOrder.parseId("customerId", customerId);
    return readModel.page(first == null ? 50 : first, after, customer);
  }

  @QueryMapping
  List<Warehouse> warehouses() {
    return readModel.allWarehouses();
  }

  /** Resolves {@code Order} representations for the gateway, one query per batch. */
  @EntityMapping
  List<@Nullable Order> order(@Argument List<String> idList) {
    List<UUID> ids = Ids.parseRepresentations(idList);
    Map<UUID, Order> found = readModel.findAll(ids);
    List<@Nullable Order> result = new ArrayList<>(ids.size());
    ids.forEach(id -> result.add(found.get(id)));
    return result;
  }

  /**
   * Resolves {@code Customer} representations: sales owns customers, distribution only adds fields
   * keyed by the id, so every id resolves.
   */
  @EntityMapping
  List<Customer> customer(@Argument List<String> idList) {
    return Ids.parseRepresentations(idList).stream()
        .map(id -> new Customer(id.toString()))
        .toList();
  }

  @SchemaMapping(typeName = "Order")
  Customer customer(Order order) {
    return new Customer(order.customerId());
  }

  private static final Set<String> EU =
      Set.of(
          "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
          "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

  /**
   * Days until delivery. The customer's country is the one the gateway sent in the entity
   * representation (required from sales); without one, distribution's own replica.
   */
  @SchemaMapping(typeName = "Order")
  @Nullable Integer shippingEstimateDays(Order order, graphql.schema.DataFetchingEnvironment env) {
    String destination = requiredCustomerCountry(env);
    if (destination == null) {
      destination =
          readModel
              .customerCountries(List.of(UUID.fromString(order.customerId())))
              .get(UUID.fromString(order.customerId()));
    }
    Warehouse warehouse =
        readModel
            .warehouses(List.of(UUID.fromString(order.warehouseId())))
            .get(UUID.fromString(order.warehouseId()));
    if (destination == null || warehouse == null) {
      return null;
    }
    if (destination.equals(warehouse.country())) {
      return 2;
    }
    return EU.contains(destination) && EU.contains(warehouse.country()) ? 4 : 7;
  }

  /** {@code customer.country} of this order's _entities representation, if it came through one. */
  private static @Nullable String requiredCustomerCountry(
      graphql.schema.DataFetchingEnvironment env) {
    List<Object> path = env.getExecutionStepInfo().getPath().toList();
    int at = path.indexOf("_entities");
    if (at < 0 || at + 1 >= path.size() || !(path.get(at + 1) instanceof Integer index)) {
      return null;
    }
    for (var step = env.getExecutionStepInfo(); step != null; step = step.getParent()) {
      if (step.getFieldDefinition() != null
          && step.getFieldDefinition().getName().equals("_entities")
          && step.getArgument("representations") instanceof List<?> representations
          && index < representations.size()
          && representations.get(index) instanceof Map<?, ?> representation
          && representation.get("customer") instanceof Map<?, ?> customer
          && customer.get("country") instanceof String country) {
        return country;
      }
    }
    return null;
  }

  /** Where the order ships to, from distribution's own replica of the sales customers. */
  @BatchMapping(typeName = "Order")
  Map<Order, String> destinationCountry(List<Order> orders) {
    Map<UUID, String> countries =
        readModel.customerCountries(
            orders.stream().map(o -> UUID.fromString(o.customerId())).distinct().toList());
    return Ids.byParent(orders, o -> countries.get(UUID.fromString(o.customerId())));
  }

  @BatchMapping(typeName = "Order")
  Map<Order, Warehouse> warehouse(List<Order> orders) {
    Map<UUID, Warehouse> found =
        readModel.warehouses(orders.stream().map(o -> UUID.fromString(o.warehouseId())).toList());
    return Ids.byParent(orders, o -> found.get(UUID.fromString(o.warehouseId())));
  }

  @BatchMapping(typeName = "Order")
  Map<Order, List<OrderLine>> lines(List<Order> orders) {
    List<UUID> captured =
        orders.stream()
            .filter(o -> o.placedLines() == null)
            .map(o -> UUID.fromString(o.id()))
            .toList();
    Map<UUID, List<OrderLine>> found =
        captured.isEmpty() ? Map.of() : readModel.linesOfOrders(captured);
    return Ids.byParent(
        orders,
        o -> o.placedLines() != null ? o.placedLines() : found.get(UUID.fromString(o.id())));
  }

  @BatchMapping(typeName = "Order")
  Map<Order, Shipment> shipment(List<Order> orders) {
    Map<UUID, Shipment> found =
        readModel.shipmentsOfOrders(orders.stream().map(o -> UUID.fromString(o.id())).toList());
    return Ids.byParent(orders, o -> found.get(UUID.fromString(o.id())));
  }

  @BatchMapping(typeName = "Customer")
  Map<Customer, List<Order>> orders(List<Customer> customers) {
    Map<UUID, List<Order>> found = readModel.ordersOfCustomers(customerIds(customers));
    return Ids.byParent(customers, c -> found.get(UUID.fromString(c.id())));
  }

  @BatchMapping(typeName = "Customer")
  Map<Customer, List<Shipment>> shipments(List<Customer> customers) {
    Map<UUID, List<Shipment>> found = readModel.shipmentsOfCustomers(customerIds(customers));
    return Ids.byParent(customers, c -> found.get(UUID.fromString(c.id())));
  }

  @MutationMapping
  Order placeOrder(@Argument PlaceOrderInput input) {
    OrderStore.Placed placed = store.place(ValidOrder.of(input));
    return OrderReadModel.toOrder(
        placed.order(), placed.lines().stream().map(OrderReadModel::toLine).toList());
  }

  @MutationMapping
  Order cancelOrder(@Argument String id) {
    UUID orderId = ValidOrder.parseId("id", id);
    return answer(store.cancel(orderId));
  }

  @MutationMapping
  Order shipOrder(@Argument String id, @Argument String carrier) {
    UUID orderId = ValidOrder.parseId("id", id);
    String name = carrier.trim();
    if (name.isEmpty() || name.length() > 64) {
      throw new InvalidInputException(
          "carrier", "must be 1 to 64 characters (got " + name.length() + ")");
    }
    return answer(store.ship(orderId, name));
  }

  private Order answer(OrdersRecord row) {
    return OrderReadModel.toOrder(
        row, store.lines(row.getId()).stream().map(OrderReadModel::toLine).toList());
  }

  private static List<UUID> customerIds(List<Customer> customers) {
    return customers.stream().map(c -> UUID.fromString(c.id())).distinct().toList();
  }
}
