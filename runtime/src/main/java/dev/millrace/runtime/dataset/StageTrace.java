package dev.millrace.runtime.dataset;

/**
 * What a stage tells the batch's trace about tasks it did not run on the {@link TaskPool}'s
 * threads: those an executor ran, those run again, and the shuffle bytes that crossed processes.
 * Each call is a counter update of the stage running now, never per record; safe from any thread.
 * Here, beside {@code TaskPool}, so that shuffles, state and the executors' runners report without
 * depending on the task runner that keeps the trace.
 */
public interface StageTrace {
  /** Counts nothing: a pool with no batch traced. */
  StageTrace NONE = new StageTrace() {};

  /** {@code tasks} tasks of the stage ran on executor {@code executorId} on {@code host}. */
  default void ranOnExecutor(String executorId, String host, int tasks) {}

  /** A task of the stage runs again (its executor was lost, failed it, or did not answer). */
  default void taskRetried() {}

  /** {@code bytes} bytes of map output came to the driver from an executor. */
  default void shuffleBytes(long bytes) {}
}
