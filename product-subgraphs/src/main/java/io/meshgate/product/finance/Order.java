package io.meshgate.product.finance;

/** A distribution order as finance refers to it: only its id; distribution resolves the rest. */
public record Order(String id) {}
