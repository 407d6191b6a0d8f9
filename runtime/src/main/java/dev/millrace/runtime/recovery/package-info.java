/**
 * Starting from a checkpoint: what a recovery restores and replays (the plans of logged batches,
 * state partitions), and the {@code Checkpointer} that writes generations and the batch log as
 * batches run, telling a {@code CheckpointListener} about each. May use: {@code checkpoint}, {@code
 * stream}, {@code source}, {@code task}, {@code shuffle}, {@code batch} and {@code codec}; never
 * the {@code scheduler}, which drives it.
 */
package dev.millrace.runtime.recovery;
