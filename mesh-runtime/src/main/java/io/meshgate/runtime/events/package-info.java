/**
 * Change events: the envelope every product publishes, its JSON codec and its JSON Schema
 * validation.
 */
@NullMarked
package io.meshgate.runtime.events;

import org.jspecify.annotations.NullMarked;
