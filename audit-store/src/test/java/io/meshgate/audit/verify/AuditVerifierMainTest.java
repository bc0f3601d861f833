package io.meshgate.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.audit.chain.ChainedEntry;
import io.meshgate.audit.chain.SampleEvents;
import io.meshgate.audit.merkle.MerkleTree;
import io.meshgate.audit.proof.AuditProof;
import io.meshgate.audit.proof.EntryInclusion;
import io.meshgate.audit.proof.HeadConsistency;
import io.meshgate.audit.proof.ProofJson;
import io.meshgate.audit.sign.SignedTreeHead;
import io.meshgate.audit.sign.SigningKeys;
import io.meshgate.audit.sign.TreeHeadSigner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifierMainTest {

  private static final String PRODUCT = "sales";
  private static final Instant SIGNED_AT = Instant.parse("2026-11-27T02:00:00Z");

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private List<ChainedEntry> log;
  private MerkleTree tree;
  private TreeHeadSigner signer;
  private Path publicKey;

  @BeforeEach
  void logOfFiftyEntries() {
    log = SampleEvents.chainedLog(PRODUCT, 50, 11);
    tree = new MerkleTree();
    log.forEach(entry -> tree.appendLeaf(entry.hash()));
    signer = new TreeHeadSigner(SigningKeys.loadOrCreate(dir.resolve("keys")));
    publicKey = dir.resolve("keys").resolve(SigningKeys.PUBLIC_KEY_FILE);
  }

  private SignedTreeHead head(long size) {
    return signer.sign(PRODUCT, size, tree.rootAt(size), SIGNED_AT.plusSeconds(size));
  }

  private EntryInclusion inclusion(int seq, long size) {
    ChainedEntry entry = log.get(seq);
    return new EntryInclusion(
        entry.entry(), entry.previousHash(), tree.inclusionProof(seq, size), head(size));
  }

  private HeadConsistency consistency(long first, long second) {
    return new HeadConsistency(head(first), head(second), tree.consistencyProof(first, second));
  }

  private int verify(String json) throws Exception {
    Path file = dir.resolve("proof.json");
    Files.writeString(file, json);
    return AuditVerifierMain.run(
        new String[] {publicKey.toString(), file.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int verify(AuditProof proof) throws Exception {
    return verify(ProofJson.toText(proof));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void acceptsAnInclusionProofWithOneValidLine() throws Exception {
    assertThat(verify(inclusion(17, 40))).isEqualTo(AuditVerifierMain.VALID);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("valid: entry 17 of sales")
        .containsOnlyOnce("\n");
  }

  @Test
  void acceptsAConsistencyProof() throws Exception {
    assertThat(verify(consistency(13, 50))).isEqualTo(AuditVerifierMain.VALID);
    assertThat(output()).startsWith("valid: the log of sales only grew from 13 entries");
  }

  @Test
  void refusesAnInclusionProofWhoseEntryWasChanged() throws Exception {
    ObjectNode json = ProofJson.toJson(inclusion(17, 40));
    ((ObjectNode) json.get("entry")).put("op", "d");

    assertThat(verify(json.toString())).isEqualTo(AuditVerifierMain.INVALID);
    assertThat(output()).startsWith("invalid: the audit path from entry 17");
  }

  @Test
  void refusesAnInclusionProofAgainstAHeadOfAnotherSize() throws Exception {
    ObjectNode json = ProofJson.toJson(inclusion(17, 40));
    json.set("treeHead", ProofJson.toJson(inclusion(17, 41)).get("treeHead"));

    assertThat(verify(json.toString())).isEqualTo(AuditVerifierMain.INVALID);
    assertThat(output()).contains("the proof is for a tree of 40 entries but the head covers 41");
  }

  @Test
  void refusesAHeadWhoseRootWasReplaced() throws Exception {
    ObjectNode json = ProofJson.toJson(inclusion(17, 40));
    ((ObjectNode) json.get("treeHead")).put("rootHash", tree.rootAt(41).hex());

    assertThat(verify(json.toString())).isEqualTo(AuditVerifierMain.INVALID);
    assertThat(output()).contains("signature does not verify");
  }

  @Test
  void refusesProofsSignedWithAnotherKey() throws Exception {
    TreeHeadSigner other = new TreeHeadSigner(SigningKeys.loadOrCreate(dir.resolve("other")));
    ChainedEntry entry = log.get(3);
    EntryInclusion forged =
        new EntryInclusion(
            entry.entry(),
            entry.previousHash(),
            tree.inclusionProof(3, 50),
            other.sign(PRODUCT, 50, tree.rootAt(50), SIGNED_AT));

    assertThat(verify(forged)).isEqualTo(AuditVerifierMain.INVALID);
    assertThat(output()).contains("signature does not verify");
  }

  @Test
  void refusesAConsistencyProofBetweenHeadsOfDifferentLogs() throws Exception {
    MerkleTree otherTree = new MerkleTree();
    SampleEvents.chainedLog(PRODUCT, 50, 12).forEach(entry -> otherTree.appendLeaf(entry.hash()));
    SignedTreeHead otherFirst = signer.sign(PRODUCT, 13, otherTree.rootAt(13), SIGNED_AT);

    assertThat(verify(new HeadConsistency(otherFirst, head(50), tree.consistencyProof(13, 50))))
        .isEqualTo(AuditVerifierMain.INVALID);
    assertThat(output()).contains("is not a prefix of the tree of 50 entries");
  }

  @Test
  void refusesAnotherFormatVersionNamingIt() throws Exception {
    ObjectNode json = ProofJson.toJson(consistency(13, 50));
    json.put("formatVersion", 2);

    assertThat(verify(json.toString())).isEqualTo(AuditVerifierMain.INVALID);
    assertThat(output()).contains("$.formatVersion: this verifier reads version 1, got 2");
  }

  @Test
  void readsBackEveryProofItWrites() throws Exception {
    for (AuditProof proof :
        List.of(inclusion(0, 1), inclusion(49, 50), consistency(1, 50), consistency(50, 50))) {
      assertThat(ProofJson.parse(ProofJson.toText(proof))).isEqualTo(proof);
      assertThat(new ObjectMapper().readTree(ProofJson.toText(proof)).get("format").asText())
          .isEqualTo("meshgate.audit.proof");
    }
  }

  @Test
  void explainsItsUsageWhenArgumentsAreMissing() {
    int status = AuditVerifierMain.run(new String[0], new PrintStream(out), new PrintStream(err));

    assertThat(status).isEqualTo(AuditVerifierMain.UNUSABLE);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage:");
  }

  @Test
  void saysWhenThePublicKeyCannotBeRead() throws Exception {
    Files.writeString(publicKey, "not a key");

    assertThat(verify(consistency(13, 50))).isEqualTo(AuditVerifierMain.UNUSABLE);
    assertThat(output()).startsWith("cannot read public key");
  }
}
