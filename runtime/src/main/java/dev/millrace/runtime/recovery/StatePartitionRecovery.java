package dev.millrace.runtime.recovery;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.checkpoint.CheckpointException;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.CorruptBatchPlanException;
import dev.millrace.runtime.checkpoint.DamagedPlan;
import dev.millrace.runtime.checkpoint.Generation;
import dev.millrace.runtime.checkpoint.ReplayLog;
import dev.millrace.runtime.checkpoint.StateParts;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.stream.PartitionedState;
import dev.millrace.runtime.stream.StatefulNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.TaskRunner;
import java.util.HashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds one partition of a {@link PartitionedState} as of a batch, from what the checkpoint
 * directory holds: the partition's part of the snapshot of the newest generation at or before the
 * batch that can be read (a damaged part written by an executor falls back to an older one), then
 * each batch the batch log holds after it, replayed from its plan and applied as the running stream
 * applied it (a batch whose plan was deleted with empty input, as the driver's recovery ran it).
 * What an executor that takes over a partition of a lost one does; the result equals the state the
 * lost owner held, because batches are deterministic given their plans.
 *
 * <p>Reads the directory only. The graph must keep no history ({@link StreamGraph#keepNoHistory})
 * and be this process's own: the replayed batches' datasets are put into it and released again.
 */
public final class StatePartitionRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(StatePartitionRecovery.class);
  private final CheckpointStore store;
  private final StreamGraph graph;
  private final TaskRunner runner;
  private final RecordCodec codec = RecordCodec.standard();

  /**
   * Recovers partitions of {@code graph}'s state from {@code store}, computing on {@code runner}.
   */
  public StatePartitionRecovery(CheckpointStore store, StreamGraph graph, TaskRunner runner) {
    if (graph.keepsHistory()) {
      throw new IllegalArgumentException(
          "a state partition is recovered in a graph that keeps no history of its own");
    }
    this.store = store;
    this.graph = graph;
    this.runner = runner;
  }

  /**
   * Partition {@code partition} of the state of node {@code nodeId} as of batch {@code asOf}.
   *
   * @throws CheckpointIncompatibleException if the directory has no generation at or before {@code
   *     asOf}, or the batch log ends before it
   * @throws CorruptBatchPlanException if a plan it needs is damaged
   */
  public HashMap<Object, Object> recover(int nodeId, int partition, long asOf) {
    List<StatefulNode> stateful = Checkpointer.statefulNodes(graph);
    StreamNode<?> node = graph.nodes().get(nodeId);
    int index = stateful.indexOf(node);
    if (!(node instanceof PartitionedState state) || index < 0) {
      throw new IllegalArgumentException(node.name() + " is not a partitioned state");
    }
    Generation generation = null;
    List<Object> snapshot = null;
    for (Generation candidate : store.validNewestFirst()) {
      if (candidate.batchTime() > asOf) {
        continue;
      }
      byte[] bytes = candidate.files().get(Checkpointer.stateFile(index));
      if (bytes == null) {
        throw new CheckpointIncompatibleException(
            "checkpoint generation "
                + candidate.batchTime()
                + " in "
                + store.uri()
                + " has no file "
                + Checkpointer.stateFile(index));
      }
      try {
        // Parts the owners wrote are read for this partition alone, unless they were written
        // with another partition count.
        snapshot =
            StateParts.resolvePartition(
                codec.decode(bytes), store, codec, partition, state.partitioner().partitions());
        generation = candidate;
        break;
      } catch (CheckpointException e) {
        LOG.warn(
            "partition {} of {}: generation {} cannot be used ({}); trying an older one",
            partition,
            node.name(),
            candidate.batchTime(),
            e.getMessage());
      }
    }
    if (generation == null) {
      throw new CheckpointIncompatibleException(
          "checkpoint directory "
              + store.uri()
              + " holds no valid generation at or before batch "
              + asOf
              + ", so partition "
              + partition
              + " of "
              + node.name()
              + " cannot be rebuilt");
    }
    PartitionedState.Recovery recovery = state.recover(snapshot, generation.batchTime(), partition);
    long expected = generation.batchTime() + graph.batchInterval().milliseconds();
    ReplayLog log = store.replayLogAfter(generation.batchTime());
    List<DamagedPlan> needed = log.damaged().stream().filter(d -> d.batchTime() <= asOf).toList();
    if (!needed.isEmpty()) {
      throw new CorruptBatchPlanException(
          needed,
          "Partition "
              + partition
              + " of "
              + node.name()
              + " cannot be rebuilt from them; the driver's recovery names the way out.");
    }
    for (BatchPlan plan : log.batches()) {
      long time = plan.batchTime();
      if (time > asOf) {
        continue;
      }
      // A batch whose plan was deleted ran with empty input in the driver's recovery: the same.
      for (; expected < time; expected += graph.batchInterval().milliseconds()) {
        graph.emptyBatch(expected);
        recovery.replayed(expected, runner);
        graph.forgetBefore(expected + 1);
      }
      expected = time + graph.batchInterval().milliseconds();
      Checkpointer.requireInputs(plan, graph.inputs().size());
      graph.replayBatch(plan);
      recovery.replayed(time, runner);
      graph.forgetBefore(time + 1);
    }
    if (expected <= asOf) {
      throw new CheckpointIncompatibleException(
          "the batch log in "
              + store.uri()
              + " ends before batch "
              + asOf
              + ", so partition "
              + partition
              + " of "
              + node.name()
              + " cannot be rebuilt as of it");
    }
    return recovery.state();
  }
}
