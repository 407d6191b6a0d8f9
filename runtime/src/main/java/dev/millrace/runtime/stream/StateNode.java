package dev.millrace.runtime.stream;

import dev.millrace.runtime.checkpoint.StateParts;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.KeyedDataset;
import dev.millrace.runtime.shuffle.KeyedPartitions;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.state.OwnedPart;
import dev.millrace.runtime.state.StateDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code updateStateByKey}: the state at each batch time is the update function applied to the
 * previous state and the batch's values, for every key that has either.
 */
public final class StateNode<K, V, S> extends StreamNode<Pair<K, S>>
    implements StatefulNode, PartitionedState {
  private final StreamNode<Pair<K, V>> parent;
  private final BiFunction<List<V>, Optional<S>, Optional<S>> update;
  private final HashPartitioner partitioner;

  /** State over {@code parent}'s pairs, in {@code partitions} partitions. */
  public StateNode(
      StreamNode<Pair<K, V>> parent,
      BiFunction<List<V>, Optional<S>, Optional<S>> update,
      int partitions) {
    super(parent.graph, "updateStateByKey");
    this.parent = parent;
    this.update = update;
    this.partitioner = new HashPartitioner(partitions);
  }

  @Override
  public Duration slide() {
    return parent.slide();
  }

  @Override
  public List<StreamNode<?>> parents() {
    return List.of(parent);
  }

  @Override
  protected long minimumRememberMillis() {
    // The next batch reads this one's state.
    return 2 * slide().milliseconds();
  }

  /** The batch's input is its new values, flattened as key, values list, key, values list... */
  @Override
  @SuppressWarnings("unchecked")
  public HashMap<Object, Object> updatePartition(Map<Object, Object> before, List<Object> input) {
    Map<K, List<V>> arrived = KeyedPartitions.unflatten(input);
    return (HashMap<Object, Object>)
        (HashMap<?, ?>)
            StateDataset.updatePartition((Map<K, S>) (Map<?, ?>) before, arrived, update);
  }

  /** The snapshot is every key and its state as pairs; each batch after it is grouped again. */
  @Override
  @SuppressWarnings("unchecked")
  public Recovery recover(List<Object> snapshot, long snapshotTime, int partition) {
    HashMap<Object, Object> initial = new HashMap<>();
    for (Object record : pairs(snapshot)) {
      Pair<Object, Object> entry = (Pair<Object, Object>) record;
      if (partitioner.partition(entry.key()) == partition) {
        initial.put(entry.key(), entry.value());
      }
    }
    return new Recovery() {
      private HashMap<Object, Object> state = initial;

      @Override
      public void replayed(long time, TaskRunner runner) {
        if (!isTimeValid(time)) {
          return;
        }
        // Without history the batch's dataset has no previous state: its one parent is the
        // grouping of the batch's new values.
        Dataset<?> updated = getOrCompute(time);
        ShuffleDataset<?, ?, ?> grouped = (ShuffleDataset<?, ?, ?>) updated.parents().get(0);
        runner.prepare(List.of(grouped));
        state = updatePartition(state, KeyedPartitions.flatten(grouped.partitionMap(partition)));
      }

      @Override
      public HashMap<Object, Object> state() {
        return state;
      }
    };
  }

  /** The partitioner of the state. */
  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public String shape() {
    return operation();
  }

  /**
   * Every key and its state as {@link Pair}s, as of this stream's latest batch at {@code time};
   * when executors own the partitions, each owner writes its own ({@link StateParts}) and the
   * snapshot is one reference to them.
   */
  @Override
  @SuppressWarnings("unchecked")
  public StateSnapshot snapshot(long time, TaskRunner runner) {
    long at = latestTimeAtOrBefore(time);
    if (!isTimeValid(at)) {
      return StateSnapshot.held(List.of(), 0);
    }
    Dataset<Pair<K, S>> ds = getOrCompute(at);
    runner.prepare(List.of(ds));
    if (ds instanceof StateDataset<?, ?, ?> owned && owned.isOwnedElsewhere()) {
      List<OwnedPart> parts = new ArrayList<>();
      for (int p = 0; p < partitioner.partitions(); p++) {
        parts.add(owned.snapshotOwned(p, time));
      }
      return new StateSnapshot(
          List.of(StateParts.reference(time, id(), OwnedPart.files(parts))),
          OwnedPart.keys(parts),
          OwnedPart.bytes(parts));
    }
    KeyedDataset<K, S> state = (KeyedDataset<K, S>) ds;
    List<Object> records = new ArrayList<>();
    for (int p = 0; p < partitioner.partitions(); p++) {
      for (Map.Entry<K, S> e : state.partitionMap(p).entrySet()) {
        records.add(Pair.of(e.getKey(), e.getValue()));
      }
    }
    return StateSnapshot.held(records, records.size());
  }

  /**
   * The pairs of a snapshot: its records, or the one list its parts were resolved into ({@link
   * StateParts#resolve}).
   */
  @SuppressWarnings("unchecked")
  private static List<Object> pairs(List<Object> snapshot) {
    return snapshot.size() == 1 && snapshot.get(0) instanceof List<?> resolved
        ? (List<Object>) resolved
        : snapshot;
  }

  /** Installs the state; keys are placed by this build's partitioner, whatever wrote them. */
  @Override
  @SuppressWarnings("unchecked")
  public void restore(long time, List<Object> records) {
    long at = latestTimeAtOrBefore(time);
    if (isTimeValid(at)) {
      List<Pair<K, S>> pairs = (List<Pair<K, S>>) (List<?>) pairs(records);
      put(at, StateDataset.restored(KeyedPartitions.place(pairs, partitioner), partitioner));
    }
  }

  /** Its one shuffle groups its parent's batch alone; the earlier state joins after it. */
  @Override
  public boolean shufflesReadOnlyTheirBatch() {
    return true;
  }

  @Override
  public void advance(long time, TaskRunner runner) {
    if (isTimeValid(time)) {
      runner.prepare(List.of(getOrCompute(time)));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Dataset<Pair<K, S>> compute(long time) {
    long previousTime = time - slide().milliseconds();
    KeyedDataset<K, S> previous = null;
    Dataset<Pair<K, S>> prev = peek(previousTime);
    if (prev == null && isTimeValid(previousTime) && graph.keepsHistory()) {
      prev = getOrCompute(previousTime);
    }
    if (prev != null) {
      previous = (KeyedDataset<K, S>) prev;
    }
    Dataset<Pair<K, V>> in = parent.getOrCompute(time);
    ShuffleDataset<K, V, List<V>> grouped =
        new ShuffleDataset<>(in, Aggregator.grouping(), partitioner);
    return new StateDataset<>(id(), time, previousTime, previous, grouped, update, partitioner);
  }
}
