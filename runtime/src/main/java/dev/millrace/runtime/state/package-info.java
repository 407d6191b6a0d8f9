/**
 * Keyed state across batches: {@code updateStateByKey}'s state, incremental windows, where their
 * partitions are held, and the runners and stages that update them locally or on executors. May
 * use: {@code dataset}, {@code shuffle}, {@code task} and {@code checkpoint} (state parts).
 */
package dev.millrace.runtime.state;
