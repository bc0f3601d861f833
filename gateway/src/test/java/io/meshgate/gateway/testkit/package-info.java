/**
 * Real Federation v2 subgraphs over HTTP for the gateway's end-to-end tests and load benchmark: the
 * four subgraphs of the public gateways-benchmark workload ({@link
 * io.meshgate.gateway.testkit.BenchmarkSubgraphs}), a fault-injecting HTTP wrapper around any
 * graphql-java schema ({@link io.meshgate.gateway.testkit.SubgraphServer}), and data-driven
 * subgraphs made of an SDL and a JSON file for the federation conformance corpus ({@link
 * io.meshgate.gateway.testkit.FixtureSubgraph}).
 */
@NullMarked
package io.meshgate.gateway.testkit;

import org.jspecify.annotations.NullMarked;
