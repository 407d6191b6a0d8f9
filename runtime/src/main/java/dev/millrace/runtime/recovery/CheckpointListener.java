package dev.millrace.runtime.recovery;

import dev.millrace.streaming.CheckpointInfo;

/**
 * Told by the {@link Checkpointer} how the graph started from its checkpoint directory and about
 * each checkpoint generation it writes or restores. The scheduler's listener bus is one; the
 * interface lives here so that recovery, which the scheduler drives, never depends on the
 * scheduler.
 */
public interface CheckpointListener {

  /** The newest checkpoint generation is now that of {@code batchTime}. */
  void checkpointCompleted(long batchTime);

  /**
   * A generation was written, as {@code checkpoint} tells; before its {@link #checkpointCompleted}.
   */
  default void checkpointWritten(CheckpointInfo checkpoint) {}

  /**
   * The graph started from the checkpoint directory as {@code opened} says (fresh, or restored from
   * a generation): once, before any other event.
   */
  default void checkpointOpened(CheckpointOpened opened) {}
}
