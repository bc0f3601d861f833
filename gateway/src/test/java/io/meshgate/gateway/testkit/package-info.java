/**
 * Real Federation v2 subgraphs over HTTP for the gateway's end-to-end tests and load benchmark: the four subgraphs of
 * the public gateways-benchmark workload ({@link io.meshgate.gateway.testkit.BenchmarkSubgraphs}) and a fault-injecting
 * HTTP wrapper around any graphql-java schema ({@link io.meshgate.gateway.testkit.SubgraphServer}).
 */
@NullMarked
package io.meshgate.gateway.testkit;

import org.jspecify.annotations.NullMarked;
