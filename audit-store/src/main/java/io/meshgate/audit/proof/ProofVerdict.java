package io.meshgate.audit.proof;

/** The outcome of checking a proof: valid, with what it established, or invalid, with why. */
public sealed interface ProofVerdict {

  /** One sentence for people. */
  String message();

  /** The proof holds. */
  record Valid(String message) implements ProofVerdict {}

  /** The proof does not hold; {@code message} names the first check that failed. */
  record Invalid(String message) implements ProofVerdict {}
}
