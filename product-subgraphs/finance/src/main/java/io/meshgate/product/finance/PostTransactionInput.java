package io.meshgate.product.finance;

import org.jspecify.annotations.Nullable;

/** The {@code PostTransactionInput} as the client sent it, before validation. */
public record PostTransactionInput(
    @Nullable String accountId,
    @Nullable String kind,
    @Nullable String amount,
    @Nullable String reference) {}
