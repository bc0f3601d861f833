-- Every product's metrics read model: the latest value of each window published on
-- mesh.<product>.metrics by its stream processors. Migrated into each product's own
-- schema (with its own history table), fed only from the metrics topic.
CREATE TABLE window_metrics (
    metric          VARCHAR(64)   NOT NULL,
    dimensions_key  VARCHAR(1024) NOT NULL,
    dimensions      JSONB         NOT NULL,
    window_start    TIMESTAMP WITH TIME ZONE NOT NULL,
    window_end      TIMESTAMP WITH TIME ZONE NOT NULL,
    count           BIGINT        NOT NULL DEFAULT 0,
    sum             NUMERIC,
    max             NUMERIC,
    late_count      BIGINT        NOT NULL DEFAULT 0,
    late_sum        NUMERIC,
    late_max        NUMERIC,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT window_metrics_pkey PRIMARY KEY (metric, dimensions_key, window_start)
);

CREATE INDEX window_metrics_window_start_idx ON window_metrics (window_start);

/* [jooq ignore start] */
COMMENT ON TABLE window_metrics IS 'Windowed metrics of the product, one row per metric, dimension values and window; the late columns hold points that arrived after the window closed.';
/* [jooq ignore stop] */
