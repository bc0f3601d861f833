package io.meshgate.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.hash.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A stored chain verifies iff it is untampered, and a tampered one fails exactly where it was
 * touched.
 */
class ChainVerifierProperties {

  private static final String PRODUCT = "sales";

  /** Ways an attacker with write access can change stored rows without the signing key. */
  enum Tampering {
    CHANGE_CONTENT,
    CHANGE_STORED_HASH,
    CHANGE_PREVIOUS_HASH,
    DELETE,
    DELETE_AND_RENUMBER,
    INSERT_FOREIGN_ENTRY,
    INSERT_FOREIGN_ENTRY_AND_RENUMBER,
    SWAP_WITH_LATER,
    SWAP_CONTENT_WITH_LATER_KEEPING_SEQ,
    MOVE_TO_END
  }

  @Property(tries = 200)
  void untamperedLogsAlwaysVerify(
      @ForAll @IntRange(min = 0, max = 60) int size, @ForAll long seed) {
    List<ChainedEntry> log = SampleEvents.chainedLog(PRODUCT, size, seed);

    assertThat(ChainVerifier.verify(PRODUCT, log, size)).isEmpty();
  }

  @Property(tries = 1000)
  void anySingleTamperingIsFoundExactlyAtItsPosition(
      @ForAll @IntRange(min = 2, max = 40) int size,
      @ForAll @IntRange(min = 0, max = 1000) int where,
      @ForAll Tampering tampering,
      @ForAll long seed) {
    List<ChainedEntry> log = new ArrayList<>(SampleEvents.chainedLog(PRODUCT, size, seed));
    int k = where % (size - 1); // every tampering below has a later entry to work with
    int later = k + 1 + (where % (size - k - 1));

    apply(tampering, log, k, later, new Random(seed));

    Optional<ChainBreak> found = ChainVerifier.verify(PRODUCT, log, size);
    assertThat(found).as("%s at %d of %d", tampering, k, size).isPresent();
    assertThat(found.get().seq()).as("%s at %d: %s", tampering, k, found.get()).isEqualTo(k);
  }

  /**
   * Verifying the stored bytes, as the store does, finds the same first break as verifying values.
   */
  @Property(tries = 500)
  void verifyingStoredBytesFindsWhatVerifyingValuesFinds(
      @ForAll @IntRange(min = 2, max = 30) int size,
      @ForAll @IntRange(min = 0, max = 1000) int where,
      @ForAll Tampering tampering,
      @ForAll boolean tamper,
      @ForAll long seed) {
    List<ChainedEntry> log = new ArrayList<>(SampleEvents.chainedLog(PRODUCT, size, seed));
    int k = where % (size - 1);
    if (tamper) {
      apply(tampering, log, k, k + 1 + (where % (size - k - 1)), new Random(seed));
    }

    // The stored rows as AuditLog.verify selects them (previous hash || entry), never decoded.
    ChainVerifier rows = ChainVerifier.fromStart(PRODUCT);
    ChainVerifier values = ChainVerifier.fromStart(PRODUCT);
    for (ChainedEntry stored : log) {
      rows.acceptLinked(
          stored.seq(),
          linked(stored.previousHash(), EntryCodec.encode(stored.entry())),
          stored.hash().bytes());
      values.accept(stored);
    }

    Optional<ChainBreak> byValues = ChainVerifier.verify(PRODUCT, log, size);
    assertThat(rows.finish(size).map(ChainBreak::seq)).isEqualTo(byValues.map(ChainBreak::seq));
    assertThat(rows.lastHash()).isEqualTo(values.lastHash());
  }

  @Property(tries = 200)
  void storedBytesNamingAnotherPositionOrProductAreRefused(
      @ForAll @IntRange(min = 1, max = 20) int size, @ForAll long seed) {
    List<ChainedEntry> log = SampleEvents.chainedLog(PRODUCT, size, seed);
    ChainedEntry last = log.getLast();
    byte[] bytes = EntryCodec.encode(last.entry());

    byte[] linked = linked(last.previousHash(), bytes);
    assertThat(
            new ChainVerifier("finance", last.seq(), last.previousHash())
                .acceptLinked(last.seq(), linked, last.hash().bytes()))
        .map(ChainBreak::defect)
        .contains(ChainBreak.Defect.WRONG_PRODUCT);
    assertThat(
            new ChainVerifier(PRODUCT, last.seq() + 1, last.previousHash())
                .acceptLinked(last.seq() + 1, linked, last.hash().bytes()))
        .map(ChainBreak::defect)
        .contains(ChainBreak.Defect.WRONG_PRODUCT);
    byte[] truncated =
        linked(last.previousHash(), java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertThat(
            new ChainVerifier(PRODUCT, last.seq(), last.previousHash())
                .acceptLinked(last.seq(), truncated, last.hash().bytes()))
        .map(ChainBreak::defect)
        .contains(ChainBreak.Defect.WRONG_PRODUCT);
    // an entry cut down to its tail must not borrow bytes of the previous hash to name its position
    byte[] tailOnly =
        linked(
            last.previousHash(),
            java.util.Arrays.copyOfRange(bytes, bytes.length - 20, bytes.length));
    assertThat(
            new ChainVerifier(PRODUCT, last.seq(), last.previousHash())
                .acceptLinked(last.seq(), tailOnly, last.hash().bytes()))
        .map(ChainBreak::defect)
        .contains(ChainBreak.Defect.WRONG_PRODUCT);
    assertThat(
            new ChainVerifier(PRODUCT, last.seq(), last.previousHash())
                .acceptLinked(last.seq(), linked, last.hash().bytes()))
        .isEmpty();
  }

  private static byte[] linked(Hash previous, byte[] entry) {
    byte[] linked = new byte[Hash.LENGTH + entry.length];
    previous.copyTo(linked, 0);
    System.arraycopy(entry, 0, linked, Hash.LENGTH, entry.length);
    return linked;
  }

  @Property(tries = 300)
  void removingTheLastEntriesIsFoundWhereTheLogNowEnds(
      @ForAll @IntRange(min = 1, max = 40) int size,
      @ForAll @IntRange(min = 1, max = 40) int removed,
      @ForAll long seed) {
    List<ChainedEntry> log = SampleEvents.chainedLog(PRODUCT, size, seed);
    int kept = Math.max(0, size - removed);

    Optional<ChainBreak> found = ChainVerifier.verify(PRODUCT, log.subList(0, kept), size);

    assertThat(found).map(ChainBreak::seq).contains((long) kept);
    assertThat(found).map(ChainBreak::defect).contains(ChainBreak.Defect.MISSING_OR_MISPLACED);
  }

  /**
   * A forger who recomputes the hash of the entry he changed makes it link; the chain then breaks
   * at the next entry, whose previous hash no longer matches (the last entry is what signed heads
   * are for).
   */
  @Property(tries = 300)
  void aRehashedForgeryBreaksTheNextLink(
      @ForAll @IntRange(min = 2, max = 40) int size,
      @ForAll @IntRange(min = 0, max = 1000) int where,
      @ForAll long seed) {
    List<ChainedEntry> log = new ArrayList<>(SampleEvents.chainedLog(PRODUCT, size, seed));
    int k = where % (size - 1);
    ChainedEntry original = log.get(k);
    AuditEntry forged = new AuditEntry(k, withExtraField(original.entry().change()));
    log.set(k, new ChainHasher().link(original.previousHash(), forged));

    Optional<ChainBreak> found = ChainVerifier.verify(PRODUCT, log, size);

    assertThat(found).map(ChainBreak::seq).contains((long) k + 1);
    assertThat(found).map(ChainBreak::defect).contains(ChainBreak.Defect.BROKEN_LINK);
  }

  private static void apply(
      Tampering tampering, List<ChainedEntry> log, int k, int later, Random random) {
    ChainedEntry at = log.get(k);
    switch (tampering) {
      case CHANGE_CONTENT ->
          log.set(
              k,
              new ChainedEntry(
                  new AuditEntry(k, withExtraField(at.entry().change())),
                  at.previousHash(),
                  at.hash()));
      case CHANGE_STORED_HASH ->
          log.set(k, new ChainedEntry(at.entry(), at.previousHash(), randomHash(random)));
      case CHANGE_PREVIOUS_HASH ->
          log.set(k, new ChainedEntry(at.entry(), randomHash(random), at.hash()));
      case DELETE -> log.remove(k);
      case DELETE_AND_RENUMBER -> {
        log.remove(k);
        renumberFrom(log, k);
      }
      case INSERT_FOREIGN_ENTRY -> log.add(k, foreign(k, random));
      case INSERT_FOREIGN_ENTRY_AND_RENUMBER -> {
        log.add(k, foreign(k, random));
        renumberFrom(log, k + 1);
        log.removeLast(); // keep the size, as if the attacker also hid the last entry
      }
      case SWAP_WITH_LATER -> {
        log.set(k, log.get(later));
        log.set(later, at);
      }
      case SWAP_CONTENT_WITH_LATER_KEEPING_SEQ -> {
        ChainedEntry other = log.get(later);
        log.set(k, withSeq(other, k));
        log.set(later, withSeq(at, later));
      }
      case MOVE_TO_END -> {
        log.remove(k);
        log.add(at);
      }
    }
  }

  /** A row copied verbatim from another log of the same product, relabelled as position k. */
  private static ChainedEntry foreign(int k, Random random) {
    return withSeq(SampleEvents.chainedLog(PRODUCT, k + 2, random.nextLong()).get(k + 1), k);
  }

  private static void renumberFrom(List<ChainedEntry> log, int from) {
    for (int i = from; i < log.size(); i++) {
      log.set(i, withSeq(log.get(i), i));
    }
  }

  private static ChainedEntry withSeq(ChainedEntry stored, long seq) {
    return new ChainedEntry(
        new AuditEntry(seq, stored.entry().change()), stored.previousHash(), stored.hash());
  }

  private static ChangeEvent withExtraField(ChangeEvent change) {
    ObjectNode key = change.key().deepCopy().put("tampered", true);
    return new ChangeEvent(
        change.product(),
        change.entity(),
        key,
        change.op(),
        change.before(),
        change.after(),
        change.source());
  }

  private static Hash randomHash(Random random) {
    byte[] bytes = new byte[Hash.LENGTH];
    random.nextBytes(bytes);
    return Hash.of(bytes);
  }
}
