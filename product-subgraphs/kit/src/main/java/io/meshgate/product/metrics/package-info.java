/**
 * Stream processors: Kafka Streams topologies that turn a product's change events into windowed
 * metrics on {@code mesh.<product>.metrics}, and the read model that serves them.
 */
@NullMarked
package io.meshgate.product.metrics;

import org.jspecify.annotations.NullMarked;
