package io.meshgate.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.AuditEntry;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.EntryCodec;
import io.meshgate.audit.chain.SampleEvents;
import io.meshgate.audit.json.CanonicalJson;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class PositionCheckTest {

  private final PositionCheck check = new PositionCheck();

  @Property(tries = 300)
  void theColumnsAnEntryWasAppendedWithMatchIt(
      @ForAll @IntRange(min = 1, max = 20) int size, @ForAll long seed) {
    for (ChainedEntry stored : SampleEvents.chainedLog("sales", size, seed)) {
      AuditEntry entry = stored.entry();
      byte[] linked = linked(entry);
      assertThat(
              check.matches(
                  linked,
                  32,
                  entry.change().entity(),
                  entry.change().source().lsn(),
                  CanonicalJson.encode(entry.change().key())))
          .isTrue();
    }
  }

  @Property(tries = 300)
  void anyRewrittenColumnIsFound(
      @ForAll @IntRange(min = 1, max = 20) int size,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 2) int column) {
    List<ChainedEntry> log = SampleEvents.chainedLog("sales", size, seed);
    AuditEntry entry = log.getLast().entry();
    String entity = entry.change().entity();
    long lsn = entry.change().source().lsn();
    ObjectNode key = entry.change().key().deepCopy();
    switch (column) {
      case 0 -> entity = entity + "s";
      case 1 -> lsn = lsn + 1;
      default -> key.put("id", key.path("id").asText() + "-other");
    }
    assertThat(check.matches(linked(entry), 32, entity, lsn, CanonicalJson.encode(key))).isFalse();
  }

  private static byte[] linked(AuditEntry entry) {
    byte[] canonical = EntryCodec.encode(entry);
    byte[] linked = new byte[32 + canonical.length];
    System.arraycopy(canonical, 0, linked, 32, canonical.length);
    return linked;
  }
}
