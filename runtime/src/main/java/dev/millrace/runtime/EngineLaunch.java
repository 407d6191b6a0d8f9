package dev.millrace.runtime;

import dev.millrace.runtime.recovery.CheckpointOpened;
import dev.millrace.runtime.shuffle.ShuffleMapRunner;
import dev.millrace.runtime.state.StateUpdateRunner;
import dev.millrace.runtime.stream.StreamGraph;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How an {@link Engine} runs, beyond what the application described: where the map tasks of
 * shuffles run and where keyed state is kept (on this process's task threads, or on executors), and
 * who this driver is to the checkpoint lease. An application's own {@code start()} uses {@link
 * #inProcess()}; the driver main launches with executors.
 *
 * @param shuffleMaps makes the runner of shuffle map tasks from the built graph; null for local
 * @param stateUpdates makes the runner of state updates from the built graph; null for local
 * @param attempt the driver attempt, for the checkpoint lease
 * @param supervisionId the supervisor that launched this driver, or null for none
 * @param graphBuilt told of the graph once it is built, before anything starts
 * @param checkpointOpened told how the graph started from its checkpoint directory, if it has one
 */
public record EngineLaunch(
    Function<StreamGraph, ShuffleMapRunner> shuffleMaps,
    Function<StreamGraph, StateUpdateRunner> stateUpdates,
    int attempt,
    String supervisionId,
    Consumer<StreamGraph> graphBuilt,
    Consumer<CheckpointOpened> checkpointOpened) {

  /** Requires the hooks. */
  public EngineLaunch {
    Objects.requireNonNull(graphBuilt, "graphBuilt");
    Objects.requireNonNull(checkpointOpened, "checkpointOpened");
  }

  /** Everything on this process's task threads; no supervisor. */
  public static EngineLaunch inProcess() {
    return new EngineLaunch(null, null, 0, null, graph -> {}, opened -> {});
  }

  /** Map tasks and state partitions through the runners these make from the built graph. */
  public EngineLaunch distributed(
      Function<StreamGraph, ShuffleMapRunner> shuffleMaps,
      Function<StreamGraph, StateUpdateRunner> stateUpdates) {
    return new EngineLaunch(
        Objects.requireNonNull(shuffleMaps, "shuffleMaps"),
        Objects.requireNonNull(stateUpdates, "stateUpdates"),
        attempt,
        supervisionId,
        graphBuilt,
        checkpointOpened);
  }

  /**
   * Holding the checkpoint lease as driver attempt {@code attempt} of the supervisor {@code
   * supervisionId} (null for none): a newer attempt of the same supervisor takes the lease over
   * from an older one at once.
   */
  public EngineLaunch as(int attempt, String supervisionId) {
    return new EngineLaunch(
        shuffleMaps, stateUpdates, attempt, supervisionId, graphBuilt, checkpointOpened);
  }

  /**
   * Telling {@code graphBuilt} of the graph once the engine has built it (its inputs, its state
   * streams), before anything starts: for status and for checks of the graph against the spec.
   */
  public EngineLaunch onGraphBuilt(Consumer<StreamGraph> graphBuilt) {
    return new EngineLaunch(
        shuffleMaps, stateUpdates, attempt, supervisionId, graphBuilt, checkpointOpened);
  }

  /**
   * Telling {@code checkpointOpened} how the graph started from its checkpoint directory: the
   * generation restored and those passed over, for the driver's Checkpoints page.
   */
  public EngineLaunch onCheckpointOpened(Consumer<CheckpointOpened> checkpointOpened) {
    return new EngineLaunch(
        shuffleMaps, stateUpdates, attempt, supervisionId, graphBuilt, checkpointOpened);
  }

  /** Whether map tasks run on executors. */
  public boolean distributesShuffleMaps() {
    return shuffleMaps != null;
  }

  ShuffleMapRunner shuffleMapRunner(StreamGraph graph) {
    return shuffleMaps == null ? ShuffleMapRunner.LOCAL : shuffleMaps.apply(graph);
  }

  StateUpdateRunner stateUpdateRunner(StreamGraph graph) {
    return stateUpdates == null ? StateUpdateRunner.LOCAL : stateUpdates.apply(graph);
  }
}
