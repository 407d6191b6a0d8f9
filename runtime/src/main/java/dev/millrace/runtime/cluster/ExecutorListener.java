package dev.millrace.runtime.cluster;

import dev.millrace.runtime.transport.Message.TaskResult;

/**
 * Hears the membership changes of an {@link ExecutorRegistry}. Called on a transport thread, after
 * the registry has changed; a listener must not block.
 */
public interface ExecutorListener {
  /** {@code executor} registered (or registered again, under a new session). */
  default void executorAdded(ExecutorInfo executor) {}

  /** {@code executor}'s session ended for {@code reason}; its work must go elsewhere. */
  default void executorLost(ExecutorInfo executor, String reason) {}

  /**
   * A message of {@code executorId} naming session {@code sessionId} was refused with {@code Lost},
   * because the session is over or belongs to another driver epoch.
   */
  default void messageFenced(String executorId, long sessionId, String reason) {}

  /** {@code executor}, in its current session, answered a task with {@code result}. */
  default void taskResult(ExecutorInfo executor, TaskResult result) {}
}
