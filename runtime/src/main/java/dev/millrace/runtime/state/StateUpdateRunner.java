package dev.millrace.runtime.state;

import dev.millrace.runtime.dataset.TaskPool;

/**
 * Where the partitions of {@code updateStateByKey}'s state are updated and kept. The default
 * updates them on the task runner's threads and keeps them in this process; a driver with executors
 * has the executor that owns each partition update and keep it.
 */
public interface StateUpdateRunner {

  /** Every partition updated on the local task threads and kept here. */
  StateUpdateRunner LOCAL = (stage, local) -> stage.runLocally(local);

  /**
   * Updates every partition of {@code stage} once: all through {@link StateUpdateStage#runLocally},
   * or all elsewhere, then {@link StateUpdateStage#ownedElsewhere}; returns when every partition
   * holds the batch's state.
   */
  void run(StateUpdateStage stage, TaskPool local);
}
