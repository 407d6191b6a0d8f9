/**
 * Moving records by key between partitions: shuffles with map-side combine, co-groups,
 * repartitioning, the hash partitioner, and the runners and stages that say where map tasks run.
 * May use: {@code dataset} (a shuffle is a dataset) and {@code task}; {@code state} and {@code
 * cluster} build on it.
 */
package dev.millrace.runtime.shuffle;
