package dev.millrace.runtime.checkpoint;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Recorded batch plans are truncated or corrupt, so the batches they describe cannot be replayed.
 * They are never skipped silently: an operator has to decide to delete the files, and the message
 * says what that skips.
 */
public final class CorruptBatchPlanException extends CheckpointDamagedException {
  private static final long serialVersionUID = 1L;

  private final List<DamagedPlan> plans;

  CorruptBatchPlanException(DamagedPlan plan) {
    this(
        List.of(plan),
        "Restore the file from a backup, or delete it to skip that batch, then start again: a"
            + " recovery then runs it as if its input had been empty and logs a warning naming the"
            + " input it skipped.");
  }

  /**
   * The damaged {@code plans}, non-empty and in time order, with {@code whatToDo}: the way out,
   * including what deleting them would skip.
   */
  public CorruptBatchPlanException(List<DamagedPlan> plans, String whatToDo) {
    super(describe(plans) + whatToDo);
    this.plans = List.copyOf(plans);
  }

  private static String describe(List<DamagedPlan> plans) {
    if (plans.size() == 1) {
      DamagedPlan plan = plans.get(0);
      return "Batch plan "
          + plan.path()
          + " is corrupt ("
          + plan.reason()
          + "), so the batch at time "
          + plan.batchTime()
          + " cannot be replayed. ";
    }
    return "Batch plans "
        + plans.stream()
            .map(p -> p.path() + " (" + p.reason() + ")")
            .collect(Collectors.joining(", "))
        + " are corrupt, so the batches at times "
        + plans.stream().map(p -> String.valueOf(p.batchTime())).collect(Collectors.joining(", "))
        + " cannot be replayed. ";
  }

  /** The full path of the first corrupt plan file. */
  public String path() {
    return plans.get(0).path();
  }

  /** The batch time whose plan is corrupt, the first if several are. */
  public long batchTime() {
    return plans.get(0).batchTime();
  }

  /** Every corrupt plan, in time order. */
  public List<DamagedPlan> plans() {
    return plans;
  }
}
