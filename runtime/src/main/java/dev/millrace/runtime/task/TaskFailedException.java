package dev.millrace.runtime.task;

/** A task threw: carries the partition it was computing so the batch error can name it. */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int partition;

  /** The task for {@code partition} (-1 if unknown) failed with {@code cause}. */
  public TaskFailedException(int partition, Throwable cause) {
    super(
        (partition >= 0 ? "task for partition " + partition : "a task") + " failed: " + cause,
        cause);
    this.partition = partition;
  }

  /** The partition whose task failed, or -1 if unknown. */
  public int partition() {
    return partition;
  }
}
