package dev.millrace.runtime.stream;

import dev.millrace.runtime.task.TaskRunner;
import java.util.List;

/**
 * A stream whose batches depend on data older than their own batch: {@code updateStateByKey} and
 * the windows. A checkpoint stores what such a stream needs of the past; a recovery puts it back,
 * so that batches after the checkpoint compute exactly what they would have computed without a
 * failure. Stateless streams need nothing: they are recomputed from the replayed input.
 */
public interface StatefulNode {

  /**
   * The operation and the parameters a checkpoint depends on, e.g. {@code window(length=30000ms,
   * slide=10000ms)}: a checkpoint written for one shape cannot be restored into another.
   */
  String shape();

  /**
   * The records that, restored at {@code time}, let every batch after {@code time} be computed:
   * state, the open window, the batches that will leave it; and their size. {@code time} is a batch
   * time whose batch has completed, and nothing at or before it has been released yet.
   */
  StateSnapshot snapshot(long time, TaskRunner runner);

  /** Installs the records of a {@link #snapshot} taken at {@code time}; the graph has started. */
  void restore(long time, List<Object> records);

  /**
   * Whether {@link #restore} installs batches of its parent, which a parent's own restore must take
   * precedence over: such nodes are restored last and never replace a batch already there.
   */
  default boolean restoresParentBatches() {
    return false;
  }

  /**
   * Whether every shuffle this stream creates reads only its parent's dataset of the same batch, so
   * that a graph keeping {@linkplain StreamGraph#keepNoHistory no history} can rebuild it: then an
   * executor can run its map side.
   */
  default boolean shufflesReadOnlyTheirBatch() {
    return false;
  }

  /**
   * Computes and keeps this stream's batch at {@code time} when a recovery replays a batch whose
   * outputs already ran, so that the state moves forward without repeating the outputs.
   */
  void advance(long time, TaskRunner runner);
}
