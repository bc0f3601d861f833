/** Executing query plans over HTTP and shaping the merged answer as the GraphQL spec requires. */
@NullMarked
package io.meshgate.gateway.execute;

import org.jspecify.annotations.NullMarked;
