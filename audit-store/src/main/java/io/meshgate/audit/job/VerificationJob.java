package io.meshgate.audit.job;

import io.meshgate.audit.chain.ChainBreak;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a verification job has done so far: a snapshot, taken when asked.
 *
 * @param id the job's id
 * @param product the product whose whole log it verifies
 * @param state where it stands
 * @param totalEntries entries it verifies: the whole log as it stood when the job was started
 * @param entriesChecked entries verified so far; once a break was found, those found intact before
 *     it
 * @param headsChecked signed heads whose signature and root were checked (known once it succeeded)
 * @param startedAt when it was started
 * @param finishedAt when it finished, once it has
 * @param firstBad the break it found, if it found one
 * @param error why it could not finish, if it could not
 */
public record VerificationJob(
    String id,
    String product,
    JobState state,
    long totalEntries,
    long entriesChecked,
    int headsChecked,
    Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable ChainBreak firstBad,
    @Nullable String error) {

  public VerificationJob {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
  }

  /**
   * True once it succeeded, false once it found a break, null while it runs or if it could not
   * finish.
   */
  public @Nullable Boolean valid() {
    if (state == JobState.SUCCEEDED) {
      return true;
    }
    return firstBad != null ? Boolean.FALSE : null;
  }
}
