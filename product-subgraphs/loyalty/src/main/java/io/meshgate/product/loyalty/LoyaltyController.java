package io.meshgate.product.loyalty;

import io.meshgate.runtime.subgraph.Ids;
import io.meshgate.schema.jooq.loyalty.loyalty.tables.records.MembersRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The loyalty subgraph's operations. Queries read the read model; the mutation writes the source.
 */
@Controller
class LoyaltyController {

  private final MemberReadModel readModel;
  private final MemberStore store;

  LoyaltyController(MemberReadModel readModel, MemberStore store) {
    this.readModel = readModel;
    this.store = store;
  }

  @QueryMapping
  @Nullable LoyaltyMember loyaltyMember(@Argument String id) {
    UUID parsed = Ids.parse("id", id, "membership id");
    return readModel.find(List.of(parsed)).get(parsed);
  }

  /** Resolves {@code LoyaltyMember} representations for the gateway, one query per batch. */
  @EntityMapping
  List<@Nullable LoyaltyMember> loyaltyMember(@Argument List<String> idList) {
    List<UUID> ids = Ids.parseRepresentations(idList);
    Map<UUID, LoyaltyMember> found = readModel.find(ids);
    List<@Nullable LoyaltyMember> result = new ArrayList<>(ids.size());
    ids.forEach(id -> result.add(found.get(id)));
    return result;
  }

  /**
   * Resolves {@code Customer} representations: sales owns customers, loyalty only adds a field
   * keyed by the id, so every id resolves.
   */
  @EntityMapping
  List<Customer> customer(@Argument List<String> idList) {
    return Ids.parseRepresentations(idList).stream()
        .map(id -> new Customer(id.toString()))
        .toList();
  }

  @BatchMapping(typeName = "Customer", field = "loyalty")
  Map<Customer, LoyaltyMember> customerLoyalty(List<Customer> customers) {
    Map<UUID, LoyaltyMember> found =
        readModel.ofCustomers(
            customers.stream().map(c -> UUID.fromString(c.id())).distinct().toList());
    return Ids.byParent(customers, c -> found.get(UUID.fromString(c.id())));
  }

  @SchemaMapping(typeName = "LoyaltyMember")
  Customer customer(LoyaltyMember member) {
    return new Customer(member.customerId());
  }

  @MutationMapping
  LoyaltyMember enrolMember(@Argument String customerId, @Argument String tier) {
    MembersRecord row = store.enrol(Ids.parse("customerId", customerId, "customer id"), tier);
    return MemberReadModel.toMember(
        row.getId(), row.getCustomerId(), row.getTier(), row.getEnrolledAt());
  }
}
