package io.meshgate.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Commits changes to {@code sales.customers} over one JDBC connection in autocommit mode, one
 * change per transaction, on its lane of a {@link Schedule}. It owns the customers it created, so
 * every customer's changes come from one connection and commit in sequence order.
 */
final class ChangeWriter implements AutoCloseable {

  private static final List<String> COUNTRIES =
      List.of("DE", "FR", "US", "GB", "JP", "BR", "IN", "NL");
  private static final List<String> SEGMENTS =
      List.of("CONSUMER", "SMALL_BUSINESS", "ENTERPRISE", "PUBLIC_SECTOR");
  private static final String INSERT =
      "INSERT INTO sales.customers (id, name, email, country, segment, created_at, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, now(), now())";
  private static final String UPDATE =
      "UPDATE sales.customers SET name = ?, updated_at = now() WHERE id = ?";

  private final Connection connection;
  private final PreparedStatement insert;
  private final PreparedStatement update;
  private final Marker marker;
  private final ChangeTimeline timeline;
  private final PendingChanges pending;
  private final SplittableRandom random;
  private final List<UUID> customers = new ArrayList<>();

  ChangeWriter(
      Connection connection,
      Marker marker,
      ChangeTimeline timeline,
      PendingChanges pending,
      long seed)
      throws SQLException {
    this.connection = connection;
    this.insert = connection.prepareStatement(INSERT);
    this.update = connection.prepareStatement(UPDATE);
    this.marker = marker;
    this.timeline = timeline;
    this.pending = pending;
    this.random = new SplittableRandom(seed);
    connection.setAutoCommit(true);
  }

  /** Creates customers {@code firstSeq .. firstSeq + count - 1} in one transaction. */
  void seed(long firstSeq, int count) throws SQLException {
    long started = timeline.now();
    List<UUID> created = new ArrayList<>(count);
    connection.setAutoCommit(false);
    try {
      for (int i = 0; i < count; i++) {
        UUID id = UUID.randomUUID();
        bindInsert(id, firstSeq + i);
        insert.addBatch();
        created.add(id);
      }
      insert.executeBatch();
      connection.commit();
    } finally {
      connection.setAutoCommit(true);
    }
    long committedAt = timeline.now();
    for (int i = 0; i < count; i++) {
      long seq = firstSeq + i;
      timeline.intended.set((int) seq, started);
      timeline.sent.set((int) seq, started);
      timeline.markCommitted(seq, committedAt);
      pending.add(created.get(i), seq);
    }
    customers.addAll(created);
  }

  /**
   * Commits changes {@code lane, lane + lanes, ...} of the schedule, each when it is due (at once
   * if already late). Returns early if the thread is interrupted.
   */
  void run(Schedule schedule, int lane, int lanes, int insertPercent) throws SQLException {
    for (long i = lane; i < schedule.count(); i += lanes) {
      long seq = schedule.firstSeq() + i;
      long due = schedule.dueAt(i);
      if (!waitUntil(due)) {
        return;
      }
      timeline.intended.set((int) seq, due);
      timeline.sent.set((int) seq, timeline.now());
      boolean inserting = customers.isEmpty() || random.nextInt(100) < insertPercent;
      UUID customer = inserting ? insert(seq) : update(seq);
      timeline.markCommitted(seq, timeline.now());
      pending.add(customer, seq);
      if (inserting) {
        customers.add(customer);
      }
    }
  }

  private UUID insert(long seq) throws SQLException {
    UUID id = UUID.randomUUID();
    bindInsert(id, seq);
    insert.executeUpdate();
    return id;
  }

  private void bindInsert(UUID id, long seq) throws SQLException {
    insert.setObject(1, id);
    insert.setString(2, marker.of(seq));
    insert.setString(3, "customer-" + seq + "-" + marker.runId() + "@bench.example");
    insert.setString(4, COUNTRIES.get(random.nextInt(COUNTRIES.size())));
    insert.setString(5, SEGMENTS.get(random.nextInt(SEGMENTS.size())));
  }

  private UUID update(long seq) throws SQLException {
    UUID id = customers.get(random.nextInt(customers.size()));
    update.setString(1, marker.of(seq));
    update.setObject(2, id);
    if (update.executeUpdate() != 1) {
      throw new SQLException(
          "customer " + id + " vanished from sales.customers during the benchmark");
    }
    return id;
  }

  private boolean waitUntil(long due) {
    long wait;
    while ((wait = due - timeline.now()) > 0) {
      LockSupport.parkNanos(wait);
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
    }
    return !Thread.currentThread().isInterrupted();
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
