package io.meshgate.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.audit.chain.ChainBreak;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.ChangeEvent;
import io.meshgate.audit.chain.EntryCodec;
import io.meshgate.audit.chain.SampleEvents;
import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.json.CanonicalJson;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoredRowVerifierTest {

  private final List<ChainedEntry> log = SampleEvents.chainedLog("sales", 10, 3);

  @Test
  void rowsAsStoredVerify() {
    StoredRowVerifier rows = new StoredRowVerifier("sales", 0, Hash.ZERO);
    for (ChainedEntry entry : log) {
      assertThat(accept(rows, entry, entry.entry().change().source().lsn(), Hash.LENGTH)).isEmpty();
    }
    assertThat(rows.finish(log.size())).isEmpty();
  }

  @Test
  void aRowWhosePositionColumnsDifferFromItsEntryIsTheFirstBreak() {
    StoredRowVerifier rows = new StoredRowVerifier("sales", 0, Hash.ZERO);
    for (int seq = 0; seq < 4; seq++) {
      accept(rows, log.get(seq), log.get(seq).entry().change().source().lsn(), Hash.LENGTH);
    }
    Optional<ChainBreak> broken =
        accept(rows, log.get(4), log.get(4).entry().change().source().lsn() + 1, Hash.LENGTH);

    assertThat(broken).map(ChainBreak::seq).contains(4L);
    assertThat(broken).map(ChainBreak::defect).contains(ChainBreak.Defect.POSITION_MISMATCH);
    // later rows are not checked against a chain that no longer holds
    assertThat(accept(rows, log.get(5), log.get(5).entry().change().source().lsn(), Hash.LENGTH))
        .isEqualTo(broken);
  }

  @Test
  void aStoredPreviousHashOfAnotherLengthIsUnreadable() {
    StoredRowVerifier rows = new StoredRowVerifier("sales", 0, Hash.ZERO);

    assertThat(accept(rows, log.getFirst(), log.getFirst().entry().change().source().lsn(), 31))
        .map(ChainBreak::defect)
        .contains(ChainBreak.Defect.UNREADABLE);
  }

  private static Optional<ChainBreak> accept(
      StoredRowVerifier rows, ChainedEntry stored, long lsnColumn, int previousLength) {
    byte[] entry = EntryCodec.encode(stored.entry());
    byte[] linked = new byte[Hash.LENGTH + entry.length];
    stored.previousHash().copyTo(linked, 0);
    System.arraycopy(entry, 0, linked, Hash.LENGTH, entry.length);
    ChangeEvent change = stored.entry().change();
    return rows.accept(
        stored.seq(),
        linked,
        stored.hash().bytes(),
        previousLength,
        change.entity(),
        lsnColumn,
        CanonicalJson.encode(change.key()));
  }
}
