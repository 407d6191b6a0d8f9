package dev.millrace.runtime.scheduler;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.streaming.BatchInfo;
import java.util.List;
import java.util.Optional;

/** What the processor thread takes from the scheduler's queue, in order: a closed set. */
sealed interface WorkItem {

  /**
   * A batch whose outputs run: a new one, or a logged one a recovery runs again.
   *
   * @param info its time and submission time
   * @param inputs each input stream's dataset, in the graph's input order
   * @param checkpoint the sources' positions after its take, when a checkpoint generation is
   *     written after it
   */
  record RunBatch(BatchInfo info, List<Dataset<?>> inputs, Optional<List<byte[]>> checkpoint)
      implements WorkItem {
    public RunBatch {
      inputs = List.copyOf(inputs);
    }
  }

  /**
   * A logged batch whose outputs committed before a failure: only the state moves forward.
   *
   * @param batchTime its time
   */
  record ReplayBatch(long batchTime) implements WorkItem {}

  /**
   * The generation a recovery writes after the last batch it replayed, if that batch completed.
   *
   * @param positions the sources' positions after the last logged plan
   */
  record ReplayCheckpoint(long batchTime, List<byte[]> positions) implements WorkItem {}

  /**
   * The generation a graceful stop writes after batch {@code batchTime}, if it completed.
   *
   * @param positions the sources' positions after their last take
   */
  record FinalCheckpoint(long batchTime, List<byte[]> positions) implements WorkItem {}

  /** Processing ends here; nothing after it runs. */
  record End() implements WorkItem {}
}
