/**
 * Startup of a mesh part: the error that names an external system (Kafka, Postgres) it could not
 * reach.
 */
@NullMarked
package io.meshgate.runtime.startup;

import org.jspecify.annotations.NullMarked;
