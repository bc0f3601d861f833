package io.meshgate.product.distribution;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@code PlaceOrderInput} of {@code placeOrder}. */
public record PlaceOrderInput(
    @Nullable String customerId,
    @Nullable String warehouseId,
    @Nullable String currency,
    @Nullable List<LineInput> lines) {

  /** The {@code OrderLineInput}: one line to order. */
  public record LineInput(
      @Nullable String sku, @Nullable Integer quantity, @Nullable String unitPrice) {}
}
