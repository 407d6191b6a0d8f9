package dev.millrace.runtime.recovery;

import dev.millrace.runtime.checkpoint.KeptGeneration;
import dev.millrace.runtime.checkpoint.SkippedGeneration;
import java.util.List;

/**
 * What the {@link Checkpointer} found when the graph started: where it checkpoints and how often,
 * the generations the directory kept, and which one it restored after passing over which newer
 * ones. Logs say the same, line by line; this is for the driver's Checkpoints page.
 *
 * @param directory the checkpoint directory's URI
 * @param intervalMs how often a generation is written, in milliseconds of batch time
 * @param restoredBatchTime the batch time of the generation restored, or null on a fresh start
 * @param fallbacks the newer generations the recovery passed over, newest first, each with why
 *     (damaged or missing file); empty when the newest one was restored or on a fresh start
 * @param kept the committed generations the directory held, newest first, as their manifests
 *     describe them; empty on a fresh start
 */
public record CheckpointOpened(
    String directory,
    long intervalMs,
    Long restoredBatchTime,
    List<SkippedGeneration> fallbacks,
    List<KeptGeneration> kept) {

  /** Copies the lists. */
  public CheckpointOpened {
    fallbacks = List.copyOf(fallbacks);
    kept = List.copyOf(kept);
  }
}
