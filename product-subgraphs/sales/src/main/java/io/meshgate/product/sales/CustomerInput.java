package io.meshgate.product.sales;

import org.jspecify.annotations.Nullable;

/** The {@code CustomerInput} of {@code upsertCustomer}. */
public record CustomerInput(
    @Nullable String id,
    @Nullable String name,
    @Nullable String email,
    @Nullable String country,
    @Nullable String segment) {}
