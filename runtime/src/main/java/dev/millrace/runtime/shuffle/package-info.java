/**
 * Moving records by key between partitions: shuffles with map-side combine, co-groups,
 * repartitioning, the hash partitioner, and the runners and stages that say where map tasks run. A
 * {@code ShuffleBoundary} is handed the map runner it runs with. May use: {@code dataset} (a
 * shuffle is a dataset; its tasks run on a {@code TaskPool}); {@code state}, {@code task} and
 * {@code cluster} build on it.
 */
package dev.millrace.runtime.shuffle;
