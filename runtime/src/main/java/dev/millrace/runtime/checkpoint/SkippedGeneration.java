package dev.millrace.runtime.checkpoint;

/**
 * A committed generation that a read passed over for an older one, and why: so that what a recovery
 * fell back from can be shown (on the driver's Checkpoints page), not only logged.
 *
 * @param batchTime the generation's batch time
 * @param reason what is wrong with it, naming the file: e.g. {@code .../state-0 is corrupt: CRC32
 *     1a2b, the manifest says 3c4d}
 */
public record SkippedGeneration(long batchTime, String reason) {}
