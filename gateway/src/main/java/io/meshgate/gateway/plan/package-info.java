/**
 * Query planning: an operation becomes a plan of subgraph fetches, as data that can be printed,
 * compared and cached.
 */
@NullMarked
package io.meshgate.gateway.plan;

import org.jspecify.annotations.NullMarked;
