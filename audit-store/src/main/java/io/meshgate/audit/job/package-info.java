/**
 * Verifications of whole audit logs as background jobs: started by a request, polled for progress,
 * at most one running per product. Looks down on {@link io.meshgate.audit.store}.
 */
@NullMarked
package io.meshgate.audit.job;

import org.jspecify.annotations.NullMarked;
