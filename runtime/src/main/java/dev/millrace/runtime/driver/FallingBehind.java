package dev.millrace.runtime.driver;

import dev.millrace.crds.launch.FallingBehindReport;
import dev.millrace.streaming.BatchInfo;

/**
 * Whether batches keep up with the batch interval, judged from completed batches: a run of {@code
 * batches} completed batches in a row, each waiting at least as long as the one before, the newest
 * waiting longer than one batch interval, is falling behind; it stays so until a batch waits less
 * than one batch interval. A backlog grows the wait by the processing time beyond the interval at
 * every batch, while a passing slow batch (a checkpoint, a pause) lets the waits shrink again, so
 * it does not count. Pure; owned by one thread at a time.
 */
final class FallingBehind {
  private final long batchIntervalMs;
  private final int batches;

  private long previousDelayMs = -1;
  private int run;
  private long runStartBatchTimeMs;
  private long runProcessingMs;
  private FallingBehindReport current;

  /** Judges batches of {@code batchIntervalMs} after {@code batches} growing waits in a row. */
  FallingBehind(long batchIntervalMs, int batches) {
    if (batches < 2) {
      throw new IllegalArgumentException(
          "falling behind is judged over at least 2 batches, got " + batches);
    }
    this.batchIntervalMs = batchIntervalMs;
    this.batches = batches;
  }

  /**
   * Takes {@code batch} into account; returns whether that changed the verdict (it started or
   * stopped falling behind).
   */
  boolean completed(BatchInfo batch) {
    long delay = batch.schedulingDelay();
    if (previousDelayMs >= 0 && delay >= previousDelayMs) {
      run++;
      runProcessingMs += batch.processingDelay();
    } else {
      run = 1;
      runStartBatchTimeMs = batch.batchTime();
      runProcessingMs = batch.processingDelay();
    }
    previousDelayMs = delay;
    boolean was = current != null;
    if (delay < batchIntervalMs) {
      current = null;
    } else if (run >= batches && delay > batchIntervalMs) {
      current =
          new FallingBehindReport(
              runStartBatchTimeMs, run, delay, runProcessingMs / run, batchIntervalMs);
    } else if (current != null) {
      current =
          new FallingBehindReport(
              current.sinceBatchTimeMs(),
              current.batches(),
              delay,
              current.processingDelayMs(),
              batchIntervalMs);
    }
    return was != (current != null);
  }

  /** The verdict as of the newest batch: the figures while falling behind, else {@code null}. */
  FallingBehindReport report() {
    return current;
  }
}
