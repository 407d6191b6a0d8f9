package dev.millrace.runtime.recovery;

import java.util.List;

/**
 * Where a starting scheduler begins: the batches a recovery replays first, then the time of the
 * first batch to generate. A fresh start replays nothing.
 *
 * @param replays logged batches to run again, in time order
 * @param nextBatchTime the first batch the generator plans; may lie in the past after a recovery,
 *     and the generator then catches up batch by batch
 */
public record StartPoint(List<ReplayBatch> replays, long nextBatchTime) {
  /** Copies the replays. */
  public StartPoint {
    replays = List.copyOf(replays);
  }
}
