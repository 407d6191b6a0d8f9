package dev.millrace.streaming;

import dev.millrace.runtime.shuffle.ShuffleMapRunner;
import dev.millrace.runtime.state.StateUpdateRunner;
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

  /**
   * Takes {@code context}'s checkpoint lease as driver attempt {@code attempt} launched by the
   * supervisor {@code supervisionId} (null for none): a newer attempt of the same supervisor takes
   * the lease over from an older one at once. Call before {@code start()}.
   */
  public static void holdCheckpointAs(StreamingContext context, int attempt, String supervisionId) {
    context.holdCheckpointAs(attempt, supervisionId);
  }
}
