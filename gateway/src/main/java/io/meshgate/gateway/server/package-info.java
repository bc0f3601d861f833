/** Serving the gateway: GraphQL over HTTP, health and GraphiQL. */
@NullMarked
package io.meshgate.gateway.server;

import org.jspecify.annotations.NullMarked;
