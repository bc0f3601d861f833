package io.meshgate.audit.graphql;

import io.meshgate.audit.chain.ChainBreak;
import io.meshgate.audit.job.JobState;
import io.meshgate.audit.job.VerificationJob;
import org.jspecify.annotations.Nullable;

/** GraphQL {@code AuditVerificationJob}. */
public record VerificationJobView(
    String id,
    String product,
    JobState state,
    long totalEntries,
    long entriesChecked,
    int headsChecked,
    String startedAt,
    @Nullable String finishedAt,
    @Nullable Boolean valid,
    @Nullable Long firstBadSeq,
    @Nullable String defect,
    @Nullable String detail,
    @Nullable String error) {

  public static VerificationJobView of(VerificationJob job) {
    ChainBreak firstBad = job.firstBad();
    return new VerificationJobView(
        job.id(),
        job.product(),
        job.state(),
        job.totalEntries(),
        job.entriesChecked(),
        job.headsChecked(),
        job.startedAt().toString(),
        job.finishedAt() == null ? null : job.finishedAt().toString(),
        job.valid(),
        firstBad == null ? null : firstBad.seq(),
        firstBad == null ? null : firstBad.defect().name(),
        firstBad == null ? null : firstBad.detail(),
        job.error());
  }
}
