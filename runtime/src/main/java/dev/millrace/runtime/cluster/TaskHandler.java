package dev.millrace.runtime.cluster;

import dev.millrace.runtime.transport.Message.Task;
import dev.millrace.runtime.transport.Message.TaskFailed;
import dev.millrace.runtime.transport.Message.TaskResult;
import java.util.function.Consumer;

/**
 * Runs the tasks a driver sends an executor. Called on a transport thread for a task of the current
 * session; must not block: run the task elsewhere and hand its result to {@code reply}, from any
 * thread.
 */
public interface TaskHandler {
  /** Refuses every task: an executor that cannot run any answers each with a failure. */
  TaskHandler NONE =
      (task, reply) ->
          reply.accept(
              new TaskFailed(
                  task.taskId(),
                  task.driverEpoch(),
                  task.sessionId(),
                  "this executor was started without --spec, so it cannot run tasks"));

  /** Runs {@code task} and answers through {@code reply} once. */
  void run(Task task, Consumer<TaskResult> reply);

  /**
   * The session ended (lost, fenced, or the driver restarted): drop everything it held, such as the
   * state partitions it owned. The next session starts owning nothing.
   */
  default void sessionEnded() {}
}
