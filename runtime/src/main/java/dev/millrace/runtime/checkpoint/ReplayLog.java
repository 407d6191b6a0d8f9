package dev.millrace.runtime.checkpoint;

import dev.millrace.runtime.batch.BatchPlan;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the batch log holds after a checkpoint generation: what a recovery from that generation
 * replays. Plans older than the generation are not read, so one damaged there costs nothing.
 *
 * @param batches the plans that verify, in time order
 * @param done the times among {@code batches} marked done: their outputs committed
 * @param damaged the plans that do not verify, in time order
 * @param doneWithoutPlan batch times marked done whose plan is missing (deleted by hand)
 */
public record ReplayLog(
    List<BatchPlan> batches,
    SortedSet<Long> done,
    List<DamagedPlan> damaged,
    SortedSet<Long> doneWithoutPlan) {
  /** Copies the lists and the sets. */
  public ReplayLog {
    batches = List.copyOf(batches);
    done = Collections.unmodifiableSortedSet(new TreeSet<>(done));
    damaged = List.copyOf(damaged);
    doneWithoutPlan = Collections.unmodifiableSortedSet(new TreeSet<>(doneWithoutPlan));
  }

  /** Whether logged batch {@code batchTime}'s outputs committed. */
  public boolean isDone(long batchTime) {
    return done.contains(batchTime);
  }
}
