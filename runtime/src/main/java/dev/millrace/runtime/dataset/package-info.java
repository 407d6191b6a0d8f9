/**
 * A batch inside the engine: the {@link dev.millrace.runtime.dataset.Dataset} base and its narrow,
 * record-at-a-time operators (pipes of map/filter/flatMap, union, cache, aggregate), computed
 * partition by partition without moving records between tasks. May use: {@code task} to run its
 * partitions; shuffles and state live in {@code shuffle} and {@code state}, which build on this
 * package.
 */
package dev.millrace.runtime.dataset;
