/**
 * A batch inside the engine: the {@link dev.millrace.runtime.dataset.Dataset} base and its narrow,
 * record-at-a-time operators (pipes of map/filter/flatMap, union, cache, aggregate), computed
 * partition by partition without moving records between tasks, and the {@code StageBoundary} and
 * {@code TaskPool} through which boundaries run their tasks. May use: nothing of the engine;
 * shuffles and state live in {@code shuffle} and {@code state}, which build on this package, and
 * {@code task} runs them all.
 */
package dev.millrace.runtime.dataset;
