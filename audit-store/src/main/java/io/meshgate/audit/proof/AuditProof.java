package io.meshgate.audit.proof;

/**
 * A self-contained proof about a product's audit log, checkable offline with only the log's public
 * key ({@link OfflineVerifier}).
 */
public sealed interface AuditProof permits EntryInclusion, HeadConsistency {

  /** The product whose log the proof is about. */
  String product();
}
