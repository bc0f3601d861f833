/**
 * Feeds the audit log from Kafka and publishes what it signs: {@link
 * io.meshgate.audit.ingest.AuditConsumer} appends every product's change topics to its chain,
 * {@link io.meshgate.audit.ingest.ChangeTopicWatcher} subscribes to change topics as products
 * appear, and {@link io.meshgate.audit.ingest.HeadPublisher} puts signed tree heads on {@code
 * mesh.audit.heads} as {@link io.meshgate.audit.ingest.AuditHeadJson}.
 */
@NullMarked
package io.meshgate.audit.ingest;

import org.jspecify.annotations.NullMarked;
