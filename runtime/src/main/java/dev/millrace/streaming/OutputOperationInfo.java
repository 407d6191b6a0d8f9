package dev.millrace.streaming;

/**
 * One output operation of one batch, as Spark's listener tells it: which operation, on which
 * stream, when it ran and, if it failed, why. Times are epoch milliseconds on the context's clock;
 * -1 means "not yet".
 *
 * @param batchTime the batch the operation ran for
 * @param index the operation's place among the context's output operations, in definition order
 *     from 0
 * @param name what the application called, e.g. {@code foreachBatch} or {@code saveAsTextFiles}
 * @param description the stream it writes out, as the status names streams (e.g. {@code map#2})
 * @param startTime when it began
 * @param endTime when it ended, successfully or not, or -1 while it runs
 * @param failureReason why it failed (the error it threw), or null if it did not fail
 */
public record OutputOperationInfo(
    long batchTime,
    int index,
    String name,
    String description,
    long startTime,
    long endTime,
    String failureReason) {

  /** Time it took, or -1 while it runs. */
  public long duration() {
    return endTime < 0 ? -1 : endTime - startTime;
  }

  /** Whether it ended with an error. */
  public boolean failed() {
    return failureReason != null;
  }
}
