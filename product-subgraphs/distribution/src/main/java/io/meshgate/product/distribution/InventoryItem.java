package io.meshgate.product.distribution;

/**
 * Units of one SKU on hand in one warehouse, as the subgraph serves them.
 *
 * @param id inventory row id
 * @param warehouseId the warehouse holding the stock
 * @param sku stock keeping unit
 * @param quantityOnHand units on hand
 * @param updatedAt when the quantity last changed, ISO-8601 UTC
 */
public record InventoryItem(
    String id, String warehouseId, String sku, int quantityOnHand, String updatedAt) {}
