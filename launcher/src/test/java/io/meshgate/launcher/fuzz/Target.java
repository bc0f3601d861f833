package io.meshgate.launcher.fuzz;

import java.net.URI;

/**
 * One GraphQL endpoint under test.
 *
 * @param name how reports name it ({@code gateway}, {@code sales}, ...)
 * @param graphql its {@code /graphql} URL
 */
public record Target(String name, URI graphql) {

  @Override
  public String toString() {
    return name + " (" + graphql + ")";
  }
}
