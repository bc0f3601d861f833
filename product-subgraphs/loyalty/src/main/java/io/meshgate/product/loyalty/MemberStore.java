package io.meshgate.product.loyalty;

import static io.meshgate.schema.jooq.loyalty.loyalty.Tables.MEMBERS;

import io.meshgate.schema.jooq.loyalty.loyalty.tables.records.MembersRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Writes the loyalty operational table through jOOQ. Never touches the read model: what clients
 * read comes back through change data capture.
 */
@Component
class MemberStore {

  private final DSLContext dsl;

  MemberStore(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Enrols the customer, or moves an existing member to {@code tier}; keeps the enrolment time. */
  MembersRecord enrol(UUID customerId, String tier) {
    return dsl.insertInto(MEMBERS)
        .set(MEMBERS.ID, UUID.randomUUID())
        .set(MEMBERS.CUSTOMER_ID, customerId)
        .set(MEMBERS.TIER, tier)
        .set(MEMBERS.ENROLLED_AT, OffsetDateTime.now(ZoneOffset.UTC))
        .onConflict(MEMBERS.CUSTOMER_ID)
        .doUpdate()
        .set(MEMBERS.TIER, tier)
        .returning()
        .fetchOne();
  }
}
