package io.meshgate.audit.verify;

import io.meshgate.audit.proof.AuditProof;
import io.meshgate.audit.proof.OfflineVerifier;
import io.meshgate.audit.proof.ProofJson;
import io.meshgate.audit.proof.ProofVerdict;
import io.meshgate.audit.sign.SigningKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * Checks an audit proof offline:
 *
 * <pre>{@code java -cp meshgate-audit-store.jar:... io.meshgate.audit.verify.AuditVerifierMain \
 *     audit-ed25519-public.pem proof.json}</pre>
 *
 * <p>The proof file is a {@code meshgate.audit.proof} document (see {@link ProofJson}): an entry's
 * inclusion under a signed tree head, or the consistency of two signed heads. Prints one line and
 * exits with {@value #VALID} when the proof holds, {@value #INVALID} when it does not, and {@value
 * #UNUSABLE} when the arguments or files cannot be used.
 */
public final class AuditVerifierMain {

  /** Exit status: the proof holds. */
  public static final int VALID = 0;

  /** Exit status: the proof does not hold. */
  public static final int INVALID = 1;

  /** Exit status: wrong arguments, or a file that cannot be read as a key or a proof. */
  public static final int UNUSABLE = 2;

  private static final String USAGE = "usage: audit-verify <public-key.pem> <proof.json>";

  private AuditVerifierMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /**
   * Runs the verifier as {@link #main} does, writing to the given streams.
   *
   * @return the exit status
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length != 2) {
      err.println(USAGE);
      return UNUSABLE;
    }
    PublicKey publicKey;
    try {
      publicKey = SigningKeys.readPublicKey(Path.of(args[0]));
    } catch (IOException | IllegalArgumentException e) {
      err.println("cannot read public key " + args[0] + ": " + e.getMessage());
      return UNUSABLE;
    }
    AuditProof proof;
    try {
      proof = ProofJson.parse(Files.readString(Path.of(args[1]), StandardCharsets.UTF_8));
    } catch (IOException e) {
      err.println("cannot read proof " + args[1] + ": " + e);
      return UNUSABLE;
    } catch (IllegalArgumentException e) {
      err.println("invalid: " + args[1] + " is not a usable audit proof: " + e.getMessage());
      return INVALID;
    }
    return switch (new OfflineVerifier(publicKey).verify(proof)) {
      case ProofVerdict.Valid valid -> {
        out.println(valid.message());
        yield VALID;
      }
      case ProofVerdict.Invalid invalid -> {
        err.println("invalid: " + invalid.message());
        yield INVALID;
      }
    };
  }
}
