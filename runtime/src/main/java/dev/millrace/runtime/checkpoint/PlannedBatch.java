package dev.millrace.runtime.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A batch whose plan was recorded but which was not marked done: it has to be re-run with exactly
 * this plan on recovery.
 *
 * <p>The plan array is shared, not copied. Two planned batches are equal when their times and plan
 * bytes are equal.
 *
 * @param batchTime the batch time (epoch milliseconds)
 * @param plan the plan bytes as passed to {@link CheckpointStore#recordPlan}
 */
public record PlannedBatch(long batchTime, byte[] plan) {
  /** Rejects a null plan. */
  public PlannedBatch {
    Objects.requireNonNull(plan, "plan");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PlannedBatch that
        && batchTime == that.batchTime
        && Arrays.equals(plan, that.plan);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(batchTime) + Arrays.hashCode(plan);
  }

  @Override
  public String toString() {
    return "PlannedBatch[batchTime=" + batchTime + ", plan=" + plan.length + " bytes]";
  }
}
