/**
 * The enterprise catalog as a running service of the mesh: {@link
 * io.meshgate.catalog.service.CatalogConsumer} keeps the Lucene index equal to the compacted {@code
 * mesh.catalog} topic (and the products' audit heads in memory), {@link
 * io.meshgate.catalog.service.CatalogQueries} serves it as a Federation v2 subgraph, and {@link
 * io.meshgate.catalog.service.CatalogService} is the door a launcher starts it through.
 */
@NullMarked
package io.meshgate.catalog.service;

import org.jspecify.annotations.NullMarked;
