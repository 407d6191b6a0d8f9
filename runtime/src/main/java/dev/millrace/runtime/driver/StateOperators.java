package dev.millrace.runtime.driver;

import dev.millrace.runtime.cluster.DistributedStateRunner;
import dev.millrace.runtime.cluster.ExecutorInfo;
import dev.millrace.runtime.cluster.StatePartitionAssignment;
import dev.millrace.runtime.stream.PartitionedState;
import dev.millrace.runtime.stream.StatefulNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.ui.StateOperator;
import dev.millrace.streaming.CheckpointInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The State page's rows, put together when asked from what the driver already knows: the graph's
 * stateful streams and partition counts, who owns each partition now (the state runner), and each
 * state's keys and bytes in the newest generation this driver wrote. Nothing is counted on the
 * batch loop. Pure.
 */
final class StateOperators {
  private StateOperators() {}

  /**
   * The stateful streams of {@code graph}, in the order they were defined, their partitions owned
   * as {@code runner} (null: all in the driver) says by session of {@code executors}, sized as
   * {@code lastWritten} says.
   */
  static List<StateOperator> of(
      StreamGraph graph,
      DistributedStateRunner runner,
      List<ExecutorInfo> executors,
      Optional<CheckpointInfo> lastWritten) {
    Map<Long, String> bySession = new HashMap<>();
    executors.forEach(e -> bySession.put(e.sessionId(), e.executorId()));
    List<StateOperator> operators = new ArrayList<>();
    for (StreamNode<?> node : graph.nodes()) {
      if (!(node instanceof StatefulNode stateful)) {
        continue;
      }
      int partitions =
          node instanceof PartitionedState state ? state.partitioner().partitions() : 1;
      Optional<long[]> sessions = runner == null ? Optional.empty() : runner.owners(node.id());
      List<String> owners =
          sessions
              .map(s -> owners(s, bySession))
              .orElseGet(() -> Collections.nCopies(partitions, StateOperator.DRIVER));
      boolean sized = lastWritten.isPresent();
      operators.add(
          new StateOperator(
              node.name(),
              stateful.shape(),
              partitions,
              owners,
              lastWritten.map(CheckpointInfo::batchTime).orElse(null),
              sized ? lastWritten.get().stateRecords().get(node.name()) : null,
              sized ? lastWritten.get().stateBytes().get(node.name()) : null));
    }
    return operators;
  }

  private static List<String> owners(long[] sessions, Map<Long, String> bySession) {
    List<String> owners = new ArrayList<>(sessions.length);
    for (long session : sessions) {
      owners.add(
          session == StatePartitionAssignment.NONE
              ? StateOperator.NONE
              : bySession.getOrDefault(session, StateOperator.NONE));
    }
    return owners;
  }
}
