/**
 * The gateway's load harness, a command rather than a test: {@link
 * io.meshgate.gateway.bench.GatewayLoadBenchmark} drives the public gateways-benchmark operation
 * through a gateway running in its own JVM, checks every answer and reports throughput, latency and
 * where the CPU went.
 */
@NullMarked
package io.meshgate.gateway.bench;

import org.jspecify.annotations.NullMarked;
