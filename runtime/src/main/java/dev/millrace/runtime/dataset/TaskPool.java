package dev.millrace.runtime.dataset;

import java.util.function.IntConsumer;

/**
 * The threads a stage boundary runs its tasks on: the engine's {@code task.TaskRunner}, as the
 * datasets, shuffles and state see it. The interface lives here so that those packages run their
 * tasks without depending on the runner, which walks their lineage and so sits above them.
 */
public interface TaskPool {

  /**
   * Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)} in parallel and waits for
   * all of them; a task that throws fails the call once all have ended.
   */
  void runTasks(int count, IntConsumer task);

  /**
   * Runs {@code call.accept(i)} for every {@code i} in {@code [0, count)} in parallel, as {@link
   * #runTasks}, for calls that each wait while another process runs a task and tell the {@link
   * #trace()} where: the threads only wait, so they are not counted as tasks run here.
   */
  default void runRemoteCalls(int count, IntConsumer call) {
    runTasks(count, call);
  }

  /** Where the stage running now reports the tasks it ran elsewhere; counts nothing by default. */
  default StageTrace trace() {
    return StageTrace.NONE;
  }
}
