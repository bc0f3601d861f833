package io.meshgate.catalog.service;

import java.util.List;

/**
 * The GraphQL input {@code CatalogFilter}: hits must have one of {@code values} in facet dimension
 * {@code dimension}.
 *
 * @param dimension a facet dimension: product, domain, type, owner, tag or classification
 * @param values alternatives; a hit needs one of them
 */
public record CatalogFilter(String dimension, List<String> values) {}
