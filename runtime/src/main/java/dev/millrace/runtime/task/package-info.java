/**
 * Running tasks: the fixed thread pool that computes a batch's partitions ({@code local[N]}), the
 * walk that materializes a lineage's stage boundaries (shuffles with the chosen map runner, state
 * with the chosen update runner), the trace of a batch's stages ({@code BatchTrace}, {@code
 * StageInfo}), and the failure of a task. May use: {@code dataset} and the stage types of {@code
 * shuffle} and {@code state} that it runs; none of them uses it.
 */
package dev.millrace.runtime.task;
