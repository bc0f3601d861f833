/**
 * Where the parts of the mesh meet: the Kafka topic names, creating topics at startup and access to
 * the JSON Schema contracts of what is published on them.
 */
@NullMarked
package io.meshgate.runtime.topics;

import org.jspecify.annotations.NullMarked;
