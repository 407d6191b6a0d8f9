package dev.millrace.runtime.dataset;

import dev.millrace.runtime.task.TaskRunner;

/**
 * A dataset that must see all of its input before it can produce a record: a shuffle, a cache, a
 * state update. {@link TaskRunner#prepare} calls {@link #materialize} once its parents are ready;
 * afterwards the dataset serves partitions from memory and drops its parents, so a retained result
 * never keeps older batches alive.
 */
public interface StageBoundary {

  /** Whether {@link #materialize} has completed. */
  boolean isMaterialized();

  /** Computes and stores the data, running its work as parallel tasks on {@code runner}. */
  void materialize(TaskRunner runner);
}
