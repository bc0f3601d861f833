/**
 * In-process infrastructure for the single-JVM launcher: a PostgreSQL server ({@link
 * io.meshgate.launcher.embedded.EmbeddedPostgresServer}) and a single-node KRaft Kafka broker
 * ({@link io.meshgate.launcher.embedded.EmbeddedKafkaBroker}); and {@link
 * io.meshgate.launcher.embedded.ProcessCpu}, which reads the CPU time of the server's processes for
 * the benchmarks and the fuzz harness.
 *
 * <p>Both keep their state in a caller-given data directory, so stopping and starting the launcher
 * again keeps databases, replication slots, topics, messages and consumer offsets. Both listen on
 * the loopback interface only: they are meant for one machine, not to be exposed on a network.
 */
@NullMarked
package io.meshgate.launcher.embedded;

import org.jspecify.annotations.NullMarked;
