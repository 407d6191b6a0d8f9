package dev.millrace.streaming;

import dev.millrace.runtime.dataset.ShuffleMapRunner;
import dev.millrace.runtime.dataset.StateUpdateRunner;
import dev.millrace.runtime.stream.StreamGraph;
import java.util.function.Function;

/**
 * What the engine's own processes (the driver and executor mains of the launch contract) need of a
 * context beyond the public API. Not for applications: nothing here is stable.
 */
public final class EngineAccess {
  private EngineAccess() {}

  /** The graph {@code context}'s application defined. */
  public static StreamGraph graph(StreamingContext context) {
    return context.graph();
  }

  /**
   * Runs the map tasks of {@code context}'s shuffles through the runner {@code runnerOfGraph} makes
   * from its graph once it starts, instead of on its local task threads. Call before {@code
   * start()}.
   */
  public static void distributeShuffleMaps(
      StreamingContext context, Function<StreamGraph, ShuffleMapRunner> runnerOfGraph) {
    context.distributeShuffleMaps(runnerOfGraph);
  }

  /**
   * Updates and keeps the partitions of {@code context}'s {@code updateStateByKey} states through
   * the runner {@code runnerOfGraph} makes from its graph once it starts. Call before {@code
   * start()}.
   */
  public static void distributeStateUpdates(
      StreamingContext context, Function<StreamGraph, StateUpdateRunner> runnerOfGraph) {
    context.distributeStateUpdates(runnerOfGraph);
  }
}
