package io.meshgate.catalog.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A service level objective the dataset's owner commits to.
 *
 * @param name short name, e.g. {@code freshness}
 * @param objective the promise in words
 * @param target threshold of the objective, in {@code unit}
 * @param unit unit of {@code target}, e.g. {@code seconds}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Slo(String name, String objective, double target, String unit) {
  public Slo {
    unit = unit == null ? "" : unit;
  }
}
