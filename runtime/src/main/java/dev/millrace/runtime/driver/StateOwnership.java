package dev.millrace.runtime.driver;

import dev.millrace.runtime.stream.PartitionedState;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether every executor of a spec will own keyed state. Executors own partitions of the graph's
 * partitioned states (updateStateByKey, the incremental windowed reduce), spread over them all
 * together, so with fewer partitions in all than executors some own none and only run map tasks.
 * The partition count is part of the graph, which every process rebuilds from the same spec ({@code
 * millrace.default.parallelism}, else the N of {@code local[N]}), so it cannot follow the executor
 * count, which changes in place; instead the driver says so when it starts. Pure.
 */
final class StateOwnership {
  private StateOwnership() {}

  /** The partitioned states of {@code graph} and their partition counts, by stream name. */
  static Map<String, Integer> partitionedStates(StreamGraph graph) {
    Map<String, Integer> states = new LinkedHashMap<>();
    for (StreamNode<?> node : graph.nodes()) {
      if (node instanceof PartitionedState state) {
        states.put(node.name(), state.partitioner().partitions());
      }
    }
    return states;
  }

  /**
   * A warning if {@code instances} executors of {@code cores} each would leave some owning no
   * partition of {@code states} (partition counts by stream name), or empty if every one owns some
   * or there is no keyed state.
   *
   * @param defaultParallelism the count of keyed operations that name none
   */
  static Optional<String> executorsWithoutState(
      int instances, int cores, Map<String, Integer> states, int defaultParallelism) {
    int partitions = states.values().stream().mapToInt(Integer::intValue).sum();
    if (states.isEmpty() || instances <= partitions) {
      return Optional.empty();
    }
    int idle = instances - partitions;
    return Optional.of(
        "spec.executor.instances is "
            + instances
            + ", but the keyed state has "
            + partitions
            + (partitions == 1 ? " partition" : " partitions")
            + " in all "
            + states
            + ", so "
            + idle
            + (idle == 1 ? " executor owns" : " executors own")
            + " no state and only runs map tasks. Set millrace.default.parallelism in"
            + " spec.application.conf to at least "
            + instances * cores
            + " (executor.instances × executor.cores; now "
            + defaultParallelism
            + ", the N of local[N] unless set) or give the keyed operations a partition count; a"
            + " new count applies from the next start, which places the checkpoint's keys by it");
  }
}
