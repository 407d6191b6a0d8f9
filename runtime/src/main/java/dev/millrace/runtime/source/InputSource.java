package dev.millrace.runtime.source;

import dev.millrace.runtime.backpressure.RateLimit;
import dev.millrace.runtime.dataset.Dataset;

/**
 * Where an input stream's records come from. The batch generator calls {@link #take} once per batch
 * time, in time order, on one thread.
 *
 * @param <T> record type
 */
public interface InputSource<T> {

  /**
   * Starts intake (connects, lists what already exists) before the first batch at {@code
   * firstBatchTime}.
   */
  void start(long firstBatchTime);

  /**
   * The input of batch {@code batchTime}. With {@code lastBatch} the context is stopping
   * gracefully: return what was already received, take nothing new.
   */
  Dataset<T> take(long batchTime, boolean lastBatch);

  /** Stops intake and releases threads and connections; idempotent. */
  void stop();

  /**
   * Whether records already received are waiting for a batch: after {@link #stop()}, a graceful
   * stop generates one last batch for them.
   */
  default boolean hasBufferedInput() {
    return false;
  }

  /**
   * The rate backpressure allows from now on: each later batch takes at most {@link
   * RateLimit#recordsPerBatch()} records (except the last batch of a graceful stop), and records
   * held back wait for later batches, never dropped. Called on the batch-processing thread while
   * {@link #take} may run on the generator thread; a source that cannot limit ignores it.
   */
  default void updateRateLimit(RateLimit limit) {}
}
