package dev.millrace.runtime.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch in the batch log: its recorded plan and whether its outputs were committed.
 *
 * <p>The plan array is shared, not copied.
 *
 * @param batchTime the batch time (epoch milliseconds)
 * @param plan the plan bytes as passed to {@link CheckpointStore#recordPlan}
 * @param done whether the batch was {@linkplain CheckpointStore#markDone marked done}
 */
public record LoggedBatch(long batchTime, byte[] plan, boolean done) {
  /** Rejects a null plan. */
  public LoggedBatch {
    Objects.requireNonNull(plan, "plan");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LoggedBatch that
        && batchTime == that.batchTime
        && done == that.done
        && Arrays.equals(plan, that.plan);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(batchTime) + Arrays.hashCode(plan) + (done ? 1 : 0);
  }

  @Override
  public String toString() {
    return "LoggedBatch[batchTime="
        + batchTime
        + ", plan="
        + plan.length
        + " bytes"
        + (done ? ", done" : "")
        + "]";
  }
}
