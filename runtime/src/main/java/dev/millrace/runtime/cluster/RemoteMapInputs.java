package dev.millrace.runtime.cluster;

import dev.millrace.runtime.batch.BatchPlan;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.dataset.UnionDataset;
import dev.millrace.runtime.shuffle.ShuffleId;
import dev.millrace.runtime.shuffle.ShuffleMapStage;
import dev.millrace.runtime.stream.InputNode;
import dev.millrace.runtime.stream.StatefulNode;
import dev.millrace.runtime.stream.StreamGraph;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides whether an executor can run the map tasks of a shuffle, and what it needs to: an executor
 * holds no data of its own, so it can only rebuild a map input that is narrow operators ({@link
 * PipeDataset}, {@link UnionDataset}) all the way down to the inputs of the shuffle's own batch,
 * each replayable from the plan the generator built for the batch ({@link StreamGraph#plan}).
 * Anything else (state, a window over older batches, another shuffle, a cache) is data only the
 * driver holds; the grouping of a batch's new values for {@code updateStateByKey} is not, as it
 * reads the batch alone. Pure: reads, never changes.
 */
public final class RemoteMapInputs {
  private RemoteMapInputs() {}

  /**
   * The plans, by input node id, an executor needs to compute {@code stage}'s map tasks, or null if
   * they must run in the driver.
   */
  public static Map<Integer, byte[]> of(StreamGraph graph, ShuffleMapStage stage) {
    ShuffleId id = stage.id();
    if (id == null) {
      return null;
    }
    // An executor rebuilds the shuffle by computing its node for the batch, in a graph that keeps
    // no history; a stateful node whose shuffles read older batches (windows) cannot be rebuilt so.
    if (graph.nodes().get(id.nodeId()) instanceof StatefulNode stateful
        && !stateful.shufflesReadOnlyTheirBatch()) {
      return null;
    }
    long time = id.batchTime();
    Optional<BatchPlan> plan = graph.plan(time);
    if (plan.isEmpty()) {
      return null;
    }
    List<InputNode<?>> inputs = graph.inputs();
    Map<Integer, byte[]> plans = new TreeMap<>();
    Set<Dataset<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Dataset<?>> pending = new ArrayDeque<>();
    pending.push(stage.input());
    while (!pending.isEmpty()) {
      Dataset<?> ds = pending.pop();
      if (!seen.add(ds)) {
        continue;
      }
      if (ds instanceof PipeDataset<?, ?> || ds instanceof UnionDataset<?>) {
        ds.parents().forEach(pending::push);
        continue;
      }
      int input = inputPlanning(inputs, ds, time);
      if (input < 0) {
        return null;
      }
      plans.put(inputs.get(input).id(), plan.get().inputPlan(input));
    }
    return plans;
  }

  /** The index of the input that planned {@code ds} for batch {@code time}, or -1 if none did. */
  private static int inputPlanning(List<InputNode<?>> inputs, Dataset<?> ds, long time) {
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i).planned(time) == ds) {
        return i;
      }
    }
    return -1;
  }
}
