package dev.millrace.runtime.shuffle;

import dev.millrace.runtime.dataset.StageBoundary;
import dev.millrace.runtime.dataset.TaskPool;

/**
 * A stage boundary whose map tasks may run elsewhere: the task runner materializes it with the
 * {@link ShuffleMapRunner} the engine chose. Handed in, not looked up, so that shuffles depend only
 * on the threads they run on and never on the runner that walks their lineage.
 */
public interface ShuffleBoundary extends StageBoundary {

  /**
   * Computes and stores the data, its map tasks run through {@code maps}, the rest on {@code
   * tasks}.
   */
  void materialize(TaskPool tasks, ShuffleMapRunner maps);

  /** Materializes with every map task on {@code tasks}. */
  @Override
  default void materialize(TaskPool tasks) {
    materialize(tasks, ShuffleMapRunner.LOCAL);
  }
}
