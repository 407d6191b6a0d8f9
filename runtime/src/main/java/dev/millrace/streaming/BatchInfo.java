package dev.millrace.streaming;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What is known about one batch: when it was submitted, started and completed, and how many input
 * records it holds. Times are epoch milliseconds on the context's clock; -1 means "not yet".
 *
 * @param batchTime the batch time, a multiple of the batch interval
 * @param submissionTime when the batch's input was planned and it was queued for processing
 * @param processingStartTime when processing began, or -1
 * @param processingEndTime when its last output operation finished, or -1
 * @param numRecords input records in the batch across all input streams, or -1 before processing
 * @param inputRecords input records of the completed batch by input stream name (as the status
 *     names inputs, e.g. {@code queueStream#0}), in the order the streams were defined; empty
 *     before the batch completed
 */
public record BatchInfo(
    long batchTime,
    long submissionTime,
    long processingStartTime,
    long processingEndTime,
    long numRecords,
    Map<String, Long> inputRecords) {

  /** Copies {@code inputRecords}, keeping its order. */
  public BatchInfo {
    inputRecords = Collections.unmodifiableMap(new LinkedHashMap<>(inputRecords));
  }

  /** A batch whose records are not told by input. */
  public BatchInfo(
      long batchTime,
      long submissionTime,
      long processingStartTime,
      long processingEndTime,
      long numRecords) {
    this(batchTime, submissionTime, processingStartTime, processingEndTime, numRecords, Map.of());
  }

  /** Time spent waiting in the queue before processing started, or -1 before it started. */
  public long schedulingDelay() {
    return processingStartTime < 0 ? -1 : processingStartTime - submissionTime;
  }

  /** Time spent processing, or -1 before it completed. */
  public long processingDelay() {
    return processingEndTime < 0 || processingStartTime < 0
        ? -1
        : processingEndTime - processingStartTime;
  }

  /** Scheduling delay plus processing delay, or -1 before it completed. */
  public long totalDelay() {
    return processingEndTime < 0 ? -1 : processingEndTime - submissionTime;
  }
}
