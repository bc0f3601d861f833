package io.meshgate.product.loyalty;

import static io.meshgate.schema.jooq.loyalty.loyalty_read.Tables.MEMBERS;

import io.meshgate.schema.jooq.loyalty.loyalty_read.tables.records.MembersRecord;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/** Reads the loyalty read model: only what arrived through the change topic. */
@Component
class MemberReadModel {

  private final DSLContext dsl;

  MemberReadModel(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** The memberships with these ids, by id; missing and deleted ones are absent. */
  Map<UUID, LoyaltyMember> find(Collection<UUID> ids) {
    return dsl
        .selectFrom(MEMBERS)
        .where(MEMBERS.ID.in(ids).and(MEMBERS.DELETED.isFalse()))
        .fetch()
        .stream()
        .collect(Collectors.toMap(MembersRecord::getId, MemberReadModel::toMember, (a, b) -> a));
  }

  /**
   * The membership of each of these customers, by customer id; customers without one are absent.
   */
  Map<UUID, LoyaltyMember> ofCustomers(Collection<UUID> customerIds) {
    return dsl
        .selectFrom(MEMBERS)
        .where(MEMBERS.CUSTOMER_ID.in(customerIds).and(MEMBERS.DELETED.isFalse()))
        .fetch()
        .stream()
        .collect(
            Collectors.toMap(MembersRecord::getCustomerId, MemberReadModel::toMember, (a, b) -> a));
  }

  private static LoyaltyMember toMember(MembersRecord row) {
    return toMember(row.getId(), row.getCustomerId(), row.getTier(), row.getEnrolledAt());
  }

  /** A membership from its columns, in the read model or in the operational table alike. */
  static LoyaltyMember toMember(UUID id, UUID customerId, String tier, OffsetDateTime enrolledAt) {
    return new LoyaltyMember(
        id.toString(),
        customerId.toString(),
        tier,
        enrolledAt.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString());
  }
}
