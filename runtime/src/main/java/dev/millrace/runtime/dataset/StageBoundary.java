package dev.millrace.runtime.dataset;

/**
 * A dataset that must see all of its input before it can produce a record: a shuffle, a cache, a
 * state update. The task runner calls {@link #materialize} once its parents are ready; afterwards
 * the dataset serves partitions from memory and drops its parents, so a retained result never keeps
 * older batches alive.
 */
public interface StageBoundary {

  /** Whether {@link #materialize} has completed. */
  boolean isMaterialized();

  /** Computes and stores the data, running its work as parallel tasks on {@code tasks}. */
  void materialize(TaskPool tasks);
}
