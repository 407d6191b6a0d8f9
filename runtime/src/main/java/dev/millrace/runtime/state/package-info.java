/**
 * Keyed state across batches: {@code updateStateByKey}'s state, incremental windows, where their
 * partitions are held, and the runners and stages that update them locally or on executors; a
 * {@code StateBoundary} is handed the update runner it runs with. May use: {@code dataset}, {@code
 * shuffle} and {@code checkpoint} (state parts); {@code task} runs it.
 */
package dev.millrace.runtime.state;
