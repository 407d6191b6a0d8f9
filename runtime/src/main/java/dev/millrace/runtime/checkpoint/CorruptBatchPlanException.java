package dev.millrace.runtime.checkpoint;

/**
 * A recorded batch plan is truncated or corrupt, so the batch it describes cannot be replayed. It
 * is never skipped silently: an operator has to decide to delete the file and accept the possible
 * loss.
 */
public final class CorruptBatchPlanException extends CheckpointException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final long batchTime;

  CorruptBatchPlanException(String path, long batchTime, String reason) {
    super(
        "Batch plan "
            + path
            + " is corrupt ("
            + reason
            + "), so the batch at time "
            + batchTime
            + " cannot be replayed. Restore the file from a backup, or delete it to skip that batch"
            + " (its output may then be missing or incomplete), and start again.");
    this.path = path;
    this.batchTime = batchTime;
  }

  /** The full path of the corrupt plan file. */
  public String path() {
    return path;
  }

  /** The batch time whose plan is corrupt. */
  public long batchTime() {
    return batchTime;
  }
}
