package io.meshgate.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BackgroundRootAccumulatorTest {

  private static final Sha256 SHA256 = new Sha256();

  private static Hash leaf(int i) {
    return SHA256.hash(new byte[] {(byte) i, (byte) (i >>> 8), (byte) (i >>> 16)});
  }

  /**
   * The roots at the requested sizes are those one RootAccumulator on the caller's thread computes.
   */
  @Property(tries = 60)
  void rootsAtTheRequestedSizesEqualThoseOfARootAccumulator(
      @ForAll @IntRange(min = 0, max = 3 * BackgroundRootAccumulator.BATCH_LEAVES + 5) int leaves,
      @ForAll @IntRange(min = 1, max = 700) int every) {
    List<Long> sizes = new ArrayList<>();
    for (long size = every; size <= leaves + every; size += every) {
      sizes.add(size); // the last one may lie beyond the leaves added: it is not reached
    }
    RootAccumulator reference = new RootAccumulator();
    List<Hash> expected = new ArrayList<>();
    List<Hash> actual;
    try (BackgroundRootAccumulator background =
        new BackgroundRootAccumulator(sizes.stream().mapToLong(Long::longValue).toArray())) {
      byte[] padded = new byte[Hash.LENGTH + 3];
      for (int i = 0; i < leaves; i++) {
        reference.addLeaf(leaf(i));
        if (i % 2 == 0) {
          background.addLeaf(leaf(i));
        } else {
          leaf(i).copyTo(padded, 3);
          background.addLeaf(padded, 3);
        }
        if (sizes.contains(reference.size())) {
          expected.add(reference.root());
        }
        if (i % 300 == 299) {
          background.awaitHashed();
        }
      }
      assertThat(background.size()).isEqualTo(leaves);
      actual = background.finish();
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void sizesMustAscend() {
    assertThatThrownBy(() -> new BackgroundRootAccumulator(new long[] {2, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BackgroundRootAccumulator(new long[] {0}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closingWithoutFinishingStopsTheWorker() {
    BackgroundRootAccumulator background = new BackgroundRootAccumulator(new long[] {5});
    background.addLeaf(leaf(1));
    background.close();
    assertThatThrownBy(() -> background.addLeaf(leaf(2))).isInstanceOf(IllegalStateException.class);
  }
}
