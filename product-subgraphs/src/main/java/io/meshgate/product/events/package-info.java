/** Change events: the envelope every product publishes, its JSON codec and its JSON Schema validation. */
@NullMarked
package io.meshgate.product.events;

import org.jspecify.annotations.NullMarked;
