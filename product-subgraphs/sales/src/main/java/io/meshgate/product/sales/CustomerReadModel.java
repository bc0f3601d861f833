package io.meshgate.product.sales;

import static io.meshgate.schema.jooq.sales.sales_read.Tables.CUSTOMERS;

import io.meshgate.runtime.events.SourcePosition;
import io.meshgate.runtime.subgraph.InvalidInputException;
import io.meshgate.runtime.subgraph.Paging;
import io.meshgate.schema.jooq.sales.sales_read.tables.records.CustomersRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Reads the sales read model: only what arrived through the change topic. */
@Component
class CustomerReadModel {

  static final int MAX_PAGE = Paging.MAX_PAGE;

  private final DSLContext dsl;

  CustomerReadModel(DSLContext dsl) {
    this.dsl = dsl;
  }

  Optional<Customer> find(UUID id) {
    return dsl.selectFrom(CUSTOMERS)
        .where(CUSTOMERS.ID.eq(id).and(CUSTOMERS.DELETED.isFalse()))
        .fetchOptional()
        .map(CustomerReadModel::toCustomer);
  }

  /** The customers with these ids, by id; missing and deleted ones are absent. */
  Map<UUID, Customer> findAll(Collection<UUID> ids) {
    return dsl
        .selectFrom(CUSTOMERS)
        .where(CUSTOMERS.ID.in(ids).and(CUSTOMERS.DELETED.isFalse()))
        .fetch()
        .stream()
        .collect(
            Collectors.toMap(CustomersRecord::getId, CustomerReadModel::toCustomer, (a, b) -> a));
  }

  CustomerPage page(int first, @Nullable String after, @Nullable String country) {
    Paging.first(first);
    Condition filter = CUSTOMERS.DELETED.isFalse();
    if (country != null) {
      if (!country.matches("^[A-Za-z]{2}$")) {
        throw new InvalidInputException(
            "country", "'" + country + "' is not a two-letter ISO 3166-1 country code");
      }
      filter = filter.and(CUSTOMERS.COUNTRY.eq(country.toUpperCase(Locale.ROOT)));
    }
    Condition page = after == null ? DSL.noCondition() : CUSTOMERS.ID.gt(decodeCursor(after));
    List<CustomersRecord> rows =
        dsl.selectFrom(CUSTOMERS)
            .where(filter.and(page))
            .orderBy(CUSTOMERS.ID)
            .limit(first + 1)
            .fetch();
    boolean hasNext = rows.size() > first;
    List<CustomerPage.Edge> edges = new ArrayList<>(Math.min(first, rows.size()));
    for (CustomersRecord row : rows.subList(0, Math.min(first, rows.size()))) {
      edges.add(new CustomerPage.Edge(encodeCursor(row.getId()), toCustomer(row)));
    }
    int total = dsl.fetchCount(CUSTOMERS, filter);
    String endCursor = edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor();
    return new CustomerPage(edges, new CustomerPage.PageInfo(endCursor, hasNext), total);
  }

  static String encodeCursor(UUID id) {
    return Paging.encodeCursor("customer", id);
  }

  static UUID decodeCursor(String cursor) {
    return Paging.decodeCursor("customer", cursor, "customers");
  }

  static Customer toCustomer(CustomersRecord row) {
    return new Customer(
        row.getId().toString(),
        row.getName(),
        row.getEmail(),
        row.getCountry(),
        row.getSegment(),
        iso(row.getCreatedAt()),
        iso(row.getUpdatedAt()),
        new Customer.ChangeVersion(
            new SourcePosition(row.getSourceLsn(), row.getSourceTxId(), Instant.EPOCH, false)
                .lsnText(),
            row.getSourceTxId() == null ? null : row.getSourceTxId().toString(),
            row.getSourceCommitTime() == null ? null : iso(row.getSourceCommitTime())));
  }

  static String iso(OffsetDateTime time) {
    return time.withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
  }
}
