package dev.millrace.streaming;

/**
 * Receives batch and checkpoint events: register with {@link
 * StreamingContext#addStreamingListener}. Events are delivered on the batch-processing thread in
 * order, so keep handlers short; an exception thrown by a listener is logged and does not affect
 * processing.
 */
public interface StreamingListener {

  /** A batch's input was planned and the batch was queued. */
  default void onBatchSubmitted(BatchInfo batch) {}

  /** Processing of a batch began; {@link BatchInfo#schedulingDelay()} is known. */
  default void onBatchStarted(BatchInfo batch) {}

  /**
   * An output operation of a batch began: {@link OutputOperationInfo#endTime()} is -1. The batch's
   * output operations run one after another, in the order they were defined.
   */
  default void onOutputOperationStarted(OutputOperationInfo output) {}

  /**
   * An output operation of a batch ended. If it failed, {@link OutputOperationInfo#failureReason()}
   * says why, and {@link #onBatchFailed} follows for its batch; no later output operation of that
   * batch runs.
   */
  default void onOutputOperationCompleted(OutputOperationInfo output) {}

  /** All output operations of a batch finished; every delay is known. */
  default void onBatchCompleted(BatchInfo batch) {}

  /**
   * A batch failed: {@code error} says in which step and why; its processing end time is when it
   * failed. The context stops after it and no later batch runs.
   */
  default void onBatchFailed(BatchInfo batch, String error) {}

  /**
   * The newest checkpoint generation is now the one of batch {@code batchTime}: a restart resumes
   * after it. Sent after a generation is written (every checkpoint interval, at the end of a
   * graceful stop, and for the zero time of a fresh start) and, when {@link
   * StreamingContext#start()} recovers, once for the generation restored, on the thread calling
   * {@code start()}.
   */
  default void onCheckpointCompleted(long batchTime) {}

  /**
   * A checkpoint generation was written: its batch, how long writing it took and its size (see
   * {@link CheckpointInfo}). Sent just before {@link #onCheckpointCompleted} for the same batch, on
   * the thread that wrote it; not for a generation a recovery restores.
   */
  default void onCheckpointWritten(CheckpointInfo checkpoint) {}

  /**
   * The context stopped, gracefully or not, after its last batch: no event follows. Release what
   * the listener, or an output it serves, holds (connections, producers, threads). Sent once, on
   * the thread that stopped the context, for a context that had started.
   */
  default void onStreamingStopped() {}
}
