package io.meshgate.product.distribution;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An order as the subgraph serves it.
 *
 * @param placedLines the lines as just written, in a mutation's answer (before capture); null when
 *     the order was read from the read model, whose lines are fetched separately
 */
public record Order(
    String id,
    String customerId,
    String warehouseId,
    String status,
    String currency,
    String total,
    String placedAt,
    String updatedAt,
    @Nullable List<OrderLine> placedLines) {}
