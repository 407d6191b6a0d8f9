package dev.millrace.runtime.checkpoint;

/**
 * A committed generation of a checkpoint directory as its manifest describes it, without reading
 * its files: what the driver's Checkpoints page lists for generations an earlier driver wrote.
 *
 * @param batchTime the generation's batch time
 * @param committedAtMs when its manifest was written (the file's modification time), epoch
 *     milliseconds
 * @param bytes the sum of its files' lengths as the manifest records them
 */
public record KeptGeneration(long batchTime, long committedAtMs, long bytes) {}
