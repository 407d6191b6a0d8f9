package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;

/**
 * An output operation: at each batch time of {@code stream}, {@code action} consumes that batch.
 *
 * @param name what the user called, e.g. {@code saveAsTextFiles}
 * @param stream the stream written out
 * @param action what to do with each batch
 */
public record OutputOperation<T>(String name, StreamNode<T> stream, BatchAction<T> action) {

  /** Runs the action for batch {@code time}, if the stream has a batch then. */
  public void run(long time) {
    Dataset<T> data = stream.getOrCompute(time);
    if (data != null) {
      action.run(data, time);
    }
  }

  /** What an output operation does with one batch. */
  @FunctionalInterface
  public interface BatchAction<T> {
    /** Consumes {@code data}, the batch of time {@code time}. */
    void run(Dataset<T> data, long time);
  }
}
