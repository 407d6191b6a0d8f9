/**
 * Starting from a checkpoint: what a recovery restores and replays (the plans of logged batches,
 * state partitions), and the {@code Checkpointer} that writes generations and the batch log as
 * batches run. May use: {@code checkpoint}, {@code stream}, {@code source}, {@code task}, {@code
 * dataset} and {@code codec} (today also {@code scheduler}'s queued batches, a cycle the engine's
 * rework removes).
 */
package dev.millrace.runtime.recovery;
