package io.meshgate.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Proofs verify against the head they were made for, and against no other. */
class MerkleProofProperties {

  private static final int LEAVES = 3000;
  private static MerkleTree tree;
  private static List<Hash> leafData;

  @BeforeContainer
  static void buildTree() {
    Sha256 sha256 = new Sha256();
    tree = new MerkleTree();
    leafData = new ArrayList<>();
    for (int i = 0; i < LEAVES; i++) {
      Hash leaf = sha256.hash(new byte[] {(byte) i, (byte) (i >> 8), 7});
      leafData.add(leaf);
      tree.appendLeaf(leaf);
    }
  }

  @Property(tries = 500)
  void inclusionProofsVerifyAgainstTheirHeadAndFailAgainstOthers(
      @ForAll @IntRange(min = 1, max = LEAVES) int size,
      @ForAll @IntRange(min = 0, max = LEAVES - 1) int leafIndex,
      @ForAll @IntRange(min = 1, max = LEAVES) int otherSize) {
    int index = leafIndex % size;
    InclusionProof proof = tree.inclusionProof(index, size);
    Hash leafHash = new MerkleHashing().leaf(leafData.get(index));

    assertThat(proof.verify(leafHash, tree.rootAt(size))).isTrue();
    assertThat(proof.path().size()).isLessThanOrEqualTo(64 - Long.numberOfLeadingZeros(size - 1L));
    if (otherSize != size) {
      assertThat(proof.verify(leafHash, tree.rootAt(otherSize))).isFalse();
      assertThat(
              new InclusionProof(index, otherSize, proof.path())
                  .verify(leafHash, tree.rootAt(otherSize)))
          .isFalse();
    }
    if (size > 1) {
      int otherIndex = (index + 1) % size;
      assertThat(
              new InclusionProof(otherIndex, size, proof.path())
                  .verify(leafHash, tree.rootAt(size)))
          .isFalse();
    }
  }

  @Property(tries = 500)
  void consistencyProofsVerifyAgainstTheirHeadsAndFailAgainstOthers(
      @ForAll @IntRange(min = 1, max = LEAVES) int first,
      @ForAll @IntRange(min = 1, max = LEAVES) int second,
      @ForAll @IntRange(min = 1, max = LEAVES) int other) {
    int m = Math.min(first, second);
    int n = Math.max(first, second);
    ConsistencyProof proof = tree.consistencyProof(m, n);

    assertThat(proof.verify(tree.rootAt(m), tree.rootAt(n))).isTrue();
    assertThat(proof.path().size()).isLessThanOrEqualTo(2 * (64 - Long.numberOfLeadingZeros(n)));
    if (other != m) {
      assertThat(proof.verify(tree.rootAt(other), tree.rootAt(n))).isFalse();
    }
    if (other != n) {
      assertThat(proof.verify(tree.rootAt(m), tree.rootAt(other))).isFalse();
    }
  }

  @Property(tries = 300)
  void aProofWithAnyHashChangedFails(
      @ForAll @IntRange(min = 2, max = LEAVES) int size,
      @ForAll @IntRange(min = 0, max = LEAVES) int leafIndex,
      @ForAll @IntRange(min = 0, max = 64) int position) {
    int index = leafIndex % size;
    InclusionProof proof = tree.inclusionProof(index, size);
    List<Hash> path = new ArrayList<>(proof.path());
    int at = position % path.size();
    path.set(at, new Sha256().hash(path.get(at).bytes()));

    assertThat(
            new InclusionProof(index, size, path)
                .verify(new MerkleHashing().leaf(leafData.get(index)), tree.rootAt(size)))
        .isFalse();
  }
}
