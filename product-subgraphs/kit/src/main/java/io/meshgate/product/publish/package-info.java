/** Publishing change events and dead letters to Kafka. */
@NullMarked
package io.meshgate.product.publish;

import org.jspecify.annotations.NullMarked;
