package io.meshgate.audit.graphql;

/**
 * Bounds on what one request may make the audit subgraph do.
 *
 * @param syncVerifyMaxRows rows {@code auditVerify} may read within a request; a larger
 *     verification is refused with code {@value AuditQueries#VERIFICATION_TOO_LARGE} and runs as a
 *     job instead ({@code startAuditVerification})
 */
public record AuditQueryLimits(long syncVerifyMaxRows) {

  public AuditQueryLimits {
    if (syncVerifyMaxRows < 0) {
      throw new IllegalArgumentException("syncVerifyMaxRows must be >= 0: " + syncVerifyMaxRows);
    }
  }
}
