package dev.millrace.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One streaming engine running one workload in this JVM, fed batches of lines through a queue
 * stream. Implementations must not touch the other engine's classes: each runs on a classpath that
 * holds only its own engine.
 */
public interface Engine {

  /**
   * Called on the engine's batch thread when a batch completed, with its processing time, its
   * scheduling delay (queued → processing started) and its end-to-end delay (batch time →
   * completed), from the engine's own batch information.
   */
  interface BatchCompleted {
    void completed(long processingMillis, long schedulingMillis, long endToEndMillis);
  }

  /**
   * Builds {@code workload} over a queue stream with batches of {@code intervalMs}, checkpointing
   * stateful workloads into {@code checkpointDir}, and starts it; batches offered before this call
   * are the first ones taken.
   */
  void start(Workload workload, long intervalMs, Path checkpointDir, BatchCompleted listener);

  /** Queues one batch of lines; each batch interval takes one. */
  void offer(List<String> lines);

  /** Batches queued and not yet taken. */
  int queued();
}
