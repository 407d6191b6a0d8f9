package dev.millrace.runtime.state;

import dev.millrace.runtime.dataset.StageBoundary;
import dev.millrace.runtime.dataset.TaskPool;

/**
 * A stage boundary whose state partitions may be updated and kept elsewhere: the task runner
 * materializes it with the {@link StateUpdateRunner} the engine chose. Handed in, not looked up, so
 * that state depends only on the threads it runs on and never on the runner that walks its lineage.
 */
public interface StateBoundary extends StageBoundary {

  /** Computes and stores the batch's state, its partitions updated through {@code updates}. */
  void materialize(TaskPool tasks, StateUpdateRunner updates);

  /** Materializes with every partition updated on {@code tasks} and kept here. */
  @Override
  default void materialize(TaskPool tasks) {
    materialize(tasks, StateUpdateRunner.LOCAL);
  }
}
