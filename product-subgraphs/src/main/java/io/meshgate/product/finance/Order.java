package io.meshgate.product.finance;

/**
 * A distribution order as finance refers to it: its id, and the total finance invoiced, which it
 * provides through {@code Invoice.order}; distribution resolves the rest.
 */
public record Order(String id, String total) {}
