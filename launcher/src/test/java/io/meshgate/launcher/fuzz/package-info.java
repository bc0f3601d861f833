/**
 * The mesh's fuzz harness, a command rather than a test: {@link io.meshgate.launcher.fuzz.MeshFuzz}
 * sends seeded, reproducible adversarial GraphQL-over-HTTP requests to the gateway and every
 * subgraph and checks that each answer is a GraphQL answer with coded errors, that nothing fails
 * with a 5xx or hangs, that the gateway keeps answering a probe and that the CPU comes back to idle
 * afterwards. {@code ./meshgate fuzz} runs it; a short seeded run is part of the integration tests.
 */
@NullMarked
package io.meshgate.launcher.fuzz;

import org.jspecify.annotations.NullMarked;
