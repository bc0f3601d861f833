package io.meshgate.catalog.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The latest observed metrics of a dataset; each is absent when not measured.
 *
 * @param rowCount rows (or retained records)
 * @param changesPerMinute change rate
 * @param freshnessSeconds age of the newest data when observed
 * @param observedAt when these were observed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetMetrics(
    @Nullable Long rowCount,
    @Nullable Double changesPerMinute,
    @Nullable Double freshnessSeconds,
    @Nullable Instant observedAt) {}
