/**
 * The at-least-once topic consumer every reading part of the mesh is built on: offsets committed
 * only after a record is applied or dead-lettered, gaps and failures reported.
 */
@NullMarked
package io.meshgate.runtime.consume;

import org.jspecify.annotations.NullMarked;
