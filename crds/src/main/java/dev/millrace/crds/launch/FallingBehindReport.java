package dev.millrace.crds.launch;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A driver whose batches take longer than the batch interval, so that each waits longer than the
 * one before: its scheduling delay has grown over {@code batches} completed batches in a row.
 *
 * @param sinceBatchTimeMs the batch time of the first of those batches, epoch milliseconds
 * @param batches how many completed batches in a row waited at least as long as the one before, the
 *     newest waiting longer than one batch interval
 * @param schedulingDelayMs how long the newest completed batch waited before it ran
 * @param processingDelayMs the mean processing time of those batches
 * @param batchIntervalMs the batch interval they are measured against
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FallingBehindReport(
    long sinceBatchTimeMs,
    int batches,
    long schedulingDelayMs,
    long processingDelayMs,
    long batchIntervalMs) {

  /**
   * For messages: {@code "scheduling delay 12.3 s, grown over 10 batches; processing takes 1.4 s
   * per 1 s batch"}.
   */
  public String describe() {
    return String.format(
        java.util.Locale.ROOT,
        "scheduling delay %s, grown over %d batches in a row; processing takes %s per %s batch",
        seconds(schedulingDelayMs),
        batches,
        seconds(processingDelayMs),
        seconds(batchIntervalMs));
  }

  private static String seconds(long millis) {
    return millis < 1_000
        ? millis + " ms"
        : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
