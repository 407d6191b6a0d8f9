package dev.millrace.runtime.history;

/** Where a batch is in its life, as the history shows it. */
public enum BatchStatus {
  /** Its input is planned and it waits for the batches before it. */
  PLANNED,
  /** Its output operations are running. */
  RUNNING,
  /** Every output operation finished. */
  COMPLETED,
  /** It failed, and the driver attempt that ran it stopped. */
  FAILED;

  /** Whether the batch is over: only such batches are kept across restarts. */
  public boolean isFinished() {
    return this == COMPLETED || this == FAILED;
  }
}
