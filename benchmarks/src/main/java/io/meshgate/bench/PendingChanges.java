package io.meshgate.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Committed changes not yet seen through the subgraph, by customer. Each customer is written by one
 * writer only, so its changes commit in sequence order and seeing marker {@code n} means every
 * pending change of that customer up to {@code n} has become visible (a later one may have
 * overwritten an earlier one before the reader looked; that counts as visible at that moment).
 */
final class PendingChanges {

  private final Map<UUID, ArrayDeque<Long>> byCustomer = new LinkedHashMap<>();

  synchronized void add(UUID customer, long seq) {
    byCustomer.computeIfAbsent(customer, c -> new ArrayDeque<>()).addLast(seq);
  }

  /** Customers with pending changes, longest waiting first. */
  synchronized List<UUID> customers() {
    return new ArrayList<>(byCustomer.keySet());
  }

  /** Removes and returns the customer's pending changes up to {@code marker}. */
  synchronized long[] resolve(UUID customer, long marker) {
    ArrayDeque<Long> queue = byCustomer.get(customer);
    if (queue == null) {
      return new long[0];
    }
    List<Long> resolved = new ArrayList<>();
    while (!queue.isEmpty() && queue.peekFirst() <= marker) {
      resolved.add(queue.pollFirst());
    }
    if (queue.isEmpty()) {
      byCustomer.remove(customer);
    }
    return resolved.stream().mapToLong(Long::longValue).toArray();
  }
}
