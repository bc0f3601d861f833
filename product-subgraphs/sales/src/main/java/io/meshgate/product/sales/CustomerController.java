package io.meshgate.product.sales;

import io.meshgate.runtime.subgraph.Ids;
import io.meshgate.schema.jooq.sales.sales.tables.records.CustomersRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** The sales subgraph's operations. Queries read the read model; mutations write the source. */
@Controller
class CustomerController {

  private final CustomerReadModel readModel;
  private final CustomerStore store;

  CustomerController(CustomerReadModel readModel, CustomerStore store) {
    this.readModel = readModel;
    this.store = store;
  }

  @QueryMapping
  @Nullable Customer customer(@Argument String id) {
    return readModel.find(ValidCustomer.parseId("id", id)).orElse(null);
  }

  @QueryMapping
  CustomerPage customers(
      @Argument @Nullable Integer first,
      @Argument @Nullable String after,
      @Argument @Nullable String country) {
    return readModel.page(first == null ? 50 : first, after, country);
  }

  /** Resolves {@code Customer} representations for the gateway, one query per batch. */
  @EntityMapping
  List<@Nullable Customer> customer(@Argument List<String> idList) {
    List<UUID> ids = Ids.parseRepresentations(idList);
    Map<UUID, Customer> found = readModel.findAll(ids);
    List<@Nullable Customer> result = new ArrayList<>(ids.size());
    for (UUID id : ids) {
      result.add(found.get(id));
    }
    return result;
  }

  @MutationMapping
  Customer upsertCustomer(@Argument CustomerInput input) {
    CustomersRecord row = store.upsert(ValidCustomer.of(input));
    return new Customer(
        row.getId().toString(),
        row.getName(),
        row.getEmail(),
        row.getCountry(),
        row.getSegment(),
        CustomerReadModel.iso(row.getCreatedAt()),
        CustomerReadModel.iso(row.getUpdatedAt()),
        null);
  }

  @MutationMapping
  String deleteCustomer(@Argument String id) {
    UUID parsed = ValidCustomer.parseId("id", id);
    store.delete(parsed);
    return parsed.toString();
  }
}
