package io.meshgate.product.finance;

import org.jspecify.annotations.Nullable;

/**
 * A distribution order as finance refers to it: its id, and the total finance invoiced, which it
 * provides through {@code Invoice.order} (null when finance is asked for the order itself);
 * distribution resolves the rest.
 */
public record Order(String id, @Nullable String total) {}
