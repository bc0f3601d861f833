package io.meshgate.product.finance;

import org.jspecify.annotations.Nullable;

/** The {@code OpenAccountInput} as the client sent it, before validation. */
public record OpenAccountInput(@Nullable String customerId, @Nullable String currency) {}
