package dev.millrace.streaming;

/**
 * Receives batch events: register with {@link StreamingContext#addStreamingListener}. Events are
 * delivered on the batch-processing thread in order, so keep handlers short; an exception thrown by
 * a listener is logged and does not affect processing.
 */
public interface StreamingListener {

  /** A batch's input was planned and the batch was queued. */
  default void onBatchSubmitted(BatchInfo batch) {}

  /** Processing of a batch began; {@link BatchInfo#schedulingDelay()} is known. */
  default void onBatchStarted(BatchInfo batch) {}

  /** All output operations of a batch finished; every delay is known. */
  default void onBatchCompleted(BatchInfo batch) {}
}
