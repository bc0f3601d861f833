/** The federation gateway: one graph over every subgraph of the mesh. */
@NullMarked
package io.meshgate.gateway;

import org.jspecify.annotations.NullMarked;
