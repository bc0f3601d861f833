/**
 * Load harnesses run against a whole embedded mesh: {@link
 * io.meshgate.bench.CommitToVisibleBenchmark} ({@code ./meshgate bench latency}) and {@link
 * io.meshgate.bench.OrderToLedgerBenchmark} ({@code ./meshgate bench orders}). They measure; they
 * never gate the build, so they are programs rather than timed tests, in a module of their own so
 * that the launcher's jar carries none of them.
 */
@NullMarked
package io.meshgate.bench;

import org.jspecify.annotations.NullMarked;
