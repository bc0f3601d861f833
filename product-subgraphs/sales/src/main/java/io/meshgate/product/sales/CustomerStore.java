package io.meshgate.product.sales;

import static io.meshgate.schema.jooq.sales.sales.Tables.CUSTOMERS;

import io.meshgate.runtime.subgraph.InvalidInputException;
import io.meshgate.schema.jooq.sales.sales.tables.records.CustomersRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Writes the sales operational table through jOOQ. Never touches the read model: what clients read
 * comes back through change data capture.
 */
@Component
class CustomerStore {

  private final DSLContext dsl;

  CustomerStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Creates the customer, or replaces it when its id exists; keeps its creation time. */
  CustomersRecord upsert(ValidCustomer customer) {
    UUID id = customer.id() != null ? customer.id() : UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return dsl.insertInto(CUSTOMERS)
        .set(CUSTOMERS.ID, id)
        .set(CUSTOMERS.NAME, customer.name())
        .set(CUSTOMERS.EMAIL, customer.email())
        .set(CUSTOMERS.COUNTRY, customer.country())
        .set(CUSTOMERS.SEGMENT, customer.segment())
        .set(CUSTOMERS.CREATED_AT, now)
        .set(CUSTOMERS.UPDATED_AT, now)
        .onConflict(CUSTOMERS.ID)
        .doUpdate()
        .set(CUSTOMERS.NAME, customer.name())
        .set(CUSTOMERS.EMAIL, customer.email())
        .set(CUSTOMERS.COUNTRY, customer.country())
        .set(CUSTOMERS.SEGMENT, customer.segment())
        .set(CUSTOMERS.UPDATED_AT, now)
        .returning()
        .fetchOne();
  }

  /** Deletes the customer; an unknown id is an error naming the argument. */
  void delete(UUID id) {
    int deleted = dsl.deleteFrom(CUSTOMERS).where(CUSTOMERS.ID.eq(id)).execute();
    if (deleted == 0) {
      throw new InvalidInputException("id", "no customer with id " + id, "NOT_FOUND");
    }
  }
}
