/** Read models fed only from change topics, idempotent by source position. */
@NullMarked
package io.meshgate.product.readmodel;

import org.jspecify.annotations.NullMarked;
