package dev.millrace.runtime.checkpoint;

import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the batch log holds after a checkpoint generation: what a recovery from that generation
 * replays. Plans older than the generation are not read, so one damaged there costs nothing.
 *
 * @param batches the batches with a plan that verifies, in time order
 * @param damaged the plans that do not verify, in time order
 * @param doneWithoutPlan batch times marked done whose plan is missing (deleted by hand)
 */
public record ReplayLog(
    List<LoggedBatch> batches, List<DamagedPlan> damaged, SortedSet<Long> doneWithoutPlan) {
  /** Copies the lists and the set. */
  public ReplayLog {
    batches = List.copyOf(batches);
    damaged = List.copyOf(damaged);
    doneWithoutPlan = Collections.unmodifiableSortedSet(new TreeSet<>(doneWithoutPlan));
  }
}
