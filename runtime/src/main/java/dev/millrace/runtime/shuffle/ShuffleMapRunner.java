package dev.millrace.runtime.shuffle;

import dev.millrace.runtime.dataset.TaskPool;

/**
 * Where the map tasks of a shuffle run. The default runs them on the task runner's threads; a
 * driver with executors sends the ones it can to them.
 */
public interface ShuffleMapRunner {

  /** Every map task on the local task threads. */
  ShuffleMapRunner LOCAL = (stage, local) -> local.runTasks(stage.mapTasks(), stage::runLocally);

  /**
   * Runs every map task of {@code stage} once, each either through {@link
   * ShuffleMapStage#runLocally} (on {@code local}'s threads or the calling one) or elsewhere,
   * handing its output to {@link ShuffleMapStage#accept}; returns when all have output.
   *
   * @throws RuntimeException the task runner's {@code TaskFailedException} if a task failed where
   *     it runs locally
   */
  void run(ShuffleMapStage stage, TaskPool local);
}
