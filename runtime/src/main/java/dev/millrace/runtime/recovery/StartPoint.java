package dev.millrace.runtime.recovery;

import java.util.List;

/**
 * Where a starting context begins: what its sources start from, the logged batches a recovery runs
 * again first, and the time of the first batch to generate.
 */
public sealed interface StartPoint {

  /** The first batch the generator plans; may lie in the past after a recovery. */
  long nextBatchTime();

  /** No checkpoint to resume: every source starts before batch {@code nextBatchTime}. */
  record Fresh(long nextBatchTime) implements StartPoint {}

  /**
   * Resumed from a checkpoint generation: each source recovers at its position there, advanced past
   * the plans logged since (which the replays read again).
   *
   * @param nextBatchTime the first batch the generator plans, after the last logged one; the
   *     generator then catches up batch by batch
   * @param positions each source's position in the restored generation, in the graph's input order
   * @param plansSince each source's plans logged after that generation, in time order, including
   *     what the batches without a plan had taken
   * @param replays the logged batches to run again, in time order
   */
  record Recovered(
      long nextBatchTime,
      List<byte[]> positions,
      List<List<byte[]>> plansSince,
      List<LoggedBatch> replays)
      implements StartPoint {
    /** Copies the lists. */
    public Recovered {
      positions = List.copyOf(positions);
      plansSince = plansSince.stream().map(List::copyOf).toList();
      replays = List.copyOf(replays);
    }
  }
}
