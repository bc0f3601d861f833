package io.meshgate.audit.chain;

/**
 * The first place where a stored chain does not hold.
 *
 * @param seq the first bad sequence number
 * @param defect what is wrong there
 * @param detail a sentence for people, naming the values that disagree
 */
public record ChainBreak(long seq, Defect defect, String detail) {

  /** What can be wrong with a stored entry. */
  public enum Defect {
    /** The entry at this position is missing, or another entry stands in its place. */
    MISSING_OR_MISPLACED,
    /** The entry belongs to another product's log, or names another position than its own. */
    WRONG_PRODUCT,
    /** The entry's previous hash is not the chain hash of the entry before it. */
    BROKEN_LINK,
    /**
     * The entry's content does not hash to its stored chain hash: it was changed after appending.
     */
    HASH_MISMATCH,
    /** The entry's content cannot be read or encoded (for example a corrupt JSON column). */
    UNREADABLE,
    /** The Merkle root over the entries up to a signed tree head differs from the signed root. */
    TREE_HEAD_MISMATCH,
    /**
     * The entry's indexed source position (entity, key, LSN) disagrees with its hashed content, so
     * reads by entity and key would miss it or find it under another row.
     */
    POSITION_MISMATCH
  }

  @Override
  public String toString() {
    return "seq " + seq + ": " + defect + ": " + detail;
  }
}
