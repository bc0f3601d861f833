package io.meshgate.audit.chain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.hash.Hash;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Realistic change events and chained logs of them, for tests and benchmarks. */
public final class SampleEvents {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] COUNTRIES = {"GB", "DE", "FR", "US", "JP", "BR"};
  private static final String[] SEGMENTS = {
    "CONSUMER", "SMALL_BUSINESS", "ENTERPRISE", "PUBLIC_SECTOR"
  };
  private static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");

  private SampleEvents() {}

  /**
   * The {@code index}-th change of a customer of {@code product}, at LSN {@code 1000 + 64 * index}.
   */
  public static ChangeEvent customerChange(String product, long index, Random random) {
    long id = random.nextInt(1 + (int) Math.min(index, 100_000));
    ObjectNode key = NODES.objectNode().put("id", "c-" + id);
    ChangeOp op = index == id ? ChangeOp.CREATE : ChangeOp.values()[random.nextInt(3)];
    ObjectNode before = op == ChangeOp.CREATE ? null : customer(id, random);
    ObjectNode after = op == ChangeOp.DELETE ? null : customer(id, random);
    Instant commit = EPOCH.plusNanos(index * 1_234_567L);
    return new ChangeEvent(
        product,
        "customer",
        key,
        op,
        before,
        after,
        new SourcePosition(1000 + 64 * index, 700 + index / 3, commit));
  }

  private static ObjectNode customer(long id, Random random) {
    ObjectNode row = NODES.objectNode();
    row.put("id", "c-" + id);
    row.put("name", "Customer " + id + (random.nextBoolean() ? " Lövenstein-Ørsted" : " Smith"));
    row.put("email", "customer" + id + "@example.com");
    row.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
    row.put("segment", SEGMENTS[random.nextInt(SEGMENTS.length)]);
    row.put("creditLimit", Math.round(random.nextDouble() * 1_000_000) / 100.0);
    row.put("created_at", EPOCH.minusSeconds(id * 60).toString());
    row.put("updated_at", EPOCH.plusSeconds(random.nextInt(1_000_000)).toString());
    return row;
  }

  /** A correctly chained log of {@code size} customer changes of {@code product}. */
  public static List<ChainedEntry> chainedLog(String product, int size, long seed) {
    Random random = new Random(seed);
    ChainHasher hasher = new ChainHasher();
    List<ChainedEntry> log = new ArrayList<>(size);
    Hash previous = Hash.ZERO;
    for (int i = 0; i < size; i++) {
      ChainedEntry entry =
          hasher.link(previous, new AuditEntry(i, customerChange(product, i, random)));
      log.add(entry);
      previous = entry.hash();
    }
    return log;
  }
}
