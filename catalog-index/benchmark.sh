#!/usr/bin/env bash
# Runs the catalog's load benchmark (not part of the build): indexing rate beside a raw
# IndexWriter loop, search p50/p99 for a fixed query mix, 5-hop lineage p99.
# Usage (from the repository root): catalog-index/benchmark.sh [datasets] [fieldsPerDataset] [edgesPerDataset] [workDir]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -pl catalog-index -am test-compile
mvn -B -ntp -q -pl catalog-index dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
exec "${JAVA_HOME:-/usr}/bin/java" -Xms6g -Xmx6g --add-modules jdk.incubator.vector \
  -cp "catalog-index/target/test-classes:catalog-index/target/classes:schema/target/classes:$(cat catalog-index/target/bench.classpath)" \
  io.meshgate.catalog.bench.CatalogBenchmark "$@"
