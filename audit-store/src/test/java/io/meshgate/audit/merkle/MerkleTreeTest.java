package io.meshgate.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.audit.hash.Hash;
import io.meshgate.audit.hash.Sha256;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MerkleTreeTest {

  private static final int MAX_SIZE = 64;

  /** Leaf data as the audit log uses it: 32-byte chain hashes. */
  private static List<byte[]> leafData(int count) {
    Sha256 sha256 = new Sha256();
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      leaves.add(
          sha256.hash(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).bytes());
    }
    return leaves;
  }

  private static MerkleTree treeOf(List<byte[]> leaves) {
    MerkleTree tree = new MerkleTree();
    leaves.forEach(leaf -> tree.appendLeaf(Hash.of(leaf)));
    return tree;
  }

  @Test
  void rootsEqualTheRecursiveDefinitionForEverySizeUpTo64() {
    List<byte[]> leaves = leafData(MAX_SIZE);
    ReferenceMerkle reference = new ReferenceMerkle(leaves);
    MerkleTree tree = new MerkleTree();
    RootAccumulator accumulator = new RootAccumulator();
    RootAccumulator fromBytes = new RootAccumulator();
    RootAccumulator fromLeafHashes = new RootAccumulator();
    MerkleHashing hashing = new MerkleHashing();
    assertThat(tree.root())
        .isEqualTo(MerkleHashing.EMPTY_ROOT)
        .isEqualTo(accumulator.root())
        .isEqualTo(fromBytes.root());

    for (int n = 1; n <= MAX_SIZE; n++) {
      tree.appendLeaf(Hash.of(leaves.get(n - 1)));
      accumulator.addLeaf(Hash.of(leaves.get(n - 1)));
      byte[] padded = new byte[Hash.LENGTH + 7];
      System.arraycopy(leaves.get(n - 1), 0, padded, 7, Hash.LENGTH);
      fromBytes.addLeaf(padded, 7);
      fromLeafHashes.addLeafHash(hashing.leaf(Hash.of(leaves.get(n - 1))));

      assertThat(tree.root()).as("size %d", n).isEqualTo(reference.mth(0, n));
      assertThat(accumulator.root()).as("size %d", n).isEqualTo(reference.mth(0, n));
      assertThat(fromBytes.root()).as("size %d from bytes", n).isEqualTo(reference.mth(0, n));
      assertThat(fromLeafHashes.root())
          .as("size %d from leaf hashes", n)
          .isEqualTo(reference.mth(0, n));
      assertThat(fromBytes.size()).isEqualTo(n);
    }
    for (int n = 0; n <= MAX_SIZE; n++) {
      assertThat(tree.rootAt(n)).as("past size %d", n).isEqualTo(reference.mth(0, n));
    }
  }

  @Test
  void inclusionProofsEqualTheRecursiveDefinitionAndVerifyForEveryLeafOfEverySizeUpTo64() {
    List<byte[]> leaves = leafData(MAX_SIZE);
    ReferenceMerkle reference = new ReferenceMerkle(leaves);
    MerkleTree tree = treeOf(leaves);
    MerkleHashing hashing = new MerkleHashing();

    for (int n = 1; n <= MAX_SIZE; n++) {
      Hash root = reference.mth(0, n);
      for (int m = 0; m < n; m++) {
        InclusionProof proof = tree.inclusionProof(m, n);

        assertThat(proof.path()).as("PATH(%d, D[%d])", m, n).isEqualTo(reference.path(m, 0, n));
        assertThat(proof.verify(hashing.leaf(leaves.get(m)), root))
            .as("leaf %d of %d", m, n)
            .isTrue();
        assertThat(proof.verify(hashing.leaf(leaves.get((m + 1) % MAX_SIZE)), root)).isFalse();
      }
    }
  }

  @Test
  void consistencyProofsEqualTheRecursiveDefinitionAndVerifyForEveryPairOfSizesUpTo64() {
    List<byte[]> leaves = leafData(MAX_SIZE);
    ReferenceMerkle reference = new ReferenceMerkle(leaves);
    MerkleTree tree = treeOf(leaves);

    for (int n = 1; n <= MAX_SIZE; n++) {
      for (int m = 1; m <= n; m++) {
        ConsistencyProof proof = tree.consistencyProof(m, n);

        List<Hash> expected = m == n ? List.of() : reference.proof(m, n);
        assertThat(proof.path()).as("PROOF(%d, D[%d])", m, n).isEqualTo(expected);
        assertThat(proof.verify(reference.mth(0, m), reference.mth(0, n)))
            .as("%d -> %d", m, n)
            .isTrue();
      }
    }
  }

  /**
   * Certificate Transparency's reference vectors (RFC 6962 test data shared by its
   * implementations): the roots of the trees over these eight leaves.
   */
  @ParameterizedTest(name = "size {0}")
  @CsvSource({
    "1, 6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "2, fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "3, aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "4, d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "5, 4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "6, 76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "7, ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "8, 5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
  })
  void matchesCertificateTransparencyKnownAnswers(int size, String root) {
    String[] data = {
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"
    };
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      leaves.add(HexFormat.of().parseHex(data[i]));
    }

    assertThat(new ReferenceMerkle(leaves).mth(0, size)).isEqualTo(Hash.ofHex(root));
  }

  @Test
  void appendingALeafByIndexAddsItOnceWhicheverWriterComesFirst() {
    Hash first = new Sha256().hash(new byte[] {1});
    Hash second = new Sha256().hash(new byte[] {2});
    MerkleTree once = new MerkleTree();
    once.appendLeaf(first);
    once.appendLeaf(second);
    MerkleTree twice = new MerkleTree();

    assertThat(twice.appendLeafAt(0, first)).isTrue();
    assertThat(twice.appendLeafAt(0, first)).isFalse();
    assertThat(twice.appendLeafAt(1, second)).isTrue();
    assertThat(twice.appendLeafAt(1, second)).isFalse();

    assertThat(twice.size()).isEqualTo(2);
    assertThat(twice.root()).isEqualTo(once.root());
    assertThatThrownBy(() -> twice.appendLeafAt(3, first))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyTreeHasTheHashOfTheEmptyString() {
    assertThat(MerkleHashing.EMPTY_ROOT)
        .isEqualTo(Hash.ofHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  }
}
