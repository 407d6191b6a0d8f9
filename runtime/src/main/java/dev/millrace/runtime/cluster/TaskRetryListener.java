package dev.millrace.runtime.cluster;

/**
 * Hears of each map task the driver runs again: elsewhere because its executor was lost, or in the
 * driver because its executor failed it or did not answer in time. Called on the thread of the
 * stage that runs the task; must not block.
 */
public interface TaskRetryListener {
  /** Nobody listens. */
  TaskRetryListener NONE = reason -> {};

  /** Why a task runs again. */
  enum Reason {
    /** Its executor's session ended before it answered: it goes to another executor. */
    EXECUTOR_LOST,
    /** Its executor answered with a failure: the driver runs it. */
    FAILED,
    /** Its executor did not answer within the task timeout: the driver runs it. */
    TIMED_OUT
  }

  /** A map task runs again, for {@code reason}. */
  void taskRetried(Reason reason);
}
