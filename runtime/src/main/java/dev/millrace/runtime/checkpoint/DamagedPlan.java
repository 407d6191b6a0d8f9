package dev.millrace.runtime.checkpoint;

/**
 * A plan file of the batch log whose bytes do not verify: truncated, or its CRC32 does not match.
 *
 * @param path the full path of the plan file
 * @param batchTime the batch time whose plan it is
 * @param reason what is wrong with it
 */
public record DamagedPlan(String path, long batchTime, String reason) {}
