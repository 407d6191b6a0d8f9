package dev.millrace.runtime.state;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.TaskPool;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.KeyedDataset;
import dev.millrace.runtime.shuffle.KeyedPartitions;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.streaming.Pair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The state of {@code updateStateByKey} after one batch: for every key with earlier state or new
 * values, the update function's result; keys it maps to empty are dropped.
 *
 * <p>Each batch builds new maps and leaves the previous state untouched, so a batch can be run
 * again from the same previous state, and a checkpoint can write a state without copying it.
 *
 * <p>Where the partitions are updated and kept is the choice of the {@link StateUpdateRunner} the
 * task runner materializes it with: here, or by the executors that own them, in which case a
 * partition is fetched from its owner the first time this process reads it.
 */
public final class StateDataset<K, V, S> extends Dataset<Pair<K, S>>
    implements StateBoundary, KeyedDataset<K, S> {
  private final int nodeId;
  private final long batchTime;
  private final long previousTime;
  private KeyedDataset<K, S> previous;
  private ShuffleDataset<K, V, List<V>> newValues;
  private final BiFunction<List<V>, Optional<S>, Optional<S>> update;
  private final HashPartitioner partitioner;
  private final HeldPartitions<K, S> held = new HeldPartitions<>(KeyedPartitions::unflatten);

  /**
   * The state of node {@code nodeId} at {@code batchTime} after applying {@code newValues} to
   * {@code previous}, the state at {@code previousTime} (null for the first batch). Both must use
   * {@code partitioner}.
   */
  public StateDataset(
      int nodeId,
      long batchTime,
      long previousTime,
      KeyedDataset<K, S> previous,
      ShuffleDataset<K, V, List<V>> newValues,
      BiFunction<List<V>, Optional<S>, Optional<S>> update,
      HashPartitioner partitioner) {
    if (previous != null && !previous.partitioner().equals(partitioner)) {
      throw new IllegalArgumentException(
          "state partitioned by "
              + previous.partitioner()
              + " cannot be updated with "
              + partitioner);
    }
    this.nodeId = nodeId;
    this.batchTime = batchTime;
    this.previousTime = previousTime;
    this.previous = previous;
    this.newValues = newValues;
    this.update = update;
    this.partitioner = partitioner;
  }

  /** State restored from storage: already materialized and held here, nothing to compute. */
  public static <K, V, S> StateDataset<K, V, S> restored(
      HashMap<K, S>[] partitions, HashPartitioner partitioner) {
    StateDataset<K, V, S> ds = new StateDataset<>(-1, -1, -1, null, null, null, partitioner);
    ds.held.holdHere(partitions);
    return ds;
  }

  /**
   * One partition's next state: {@code update} applied to every key with a state in {@code before}
   * or values in {@code arrived}; keys it maps to empty are dropped. The same in every process.
   */
  public static <K, V, S> HashMap<K, S> updatePartition(
      Map<K, S> before,
      Map<K, List<V>> arrived,
      BiFunction<List<V>, Optional<S>, Optional<S>> update) {
    HashMap<K, S> after = new HashMap<>(Math.max(16, (before.size() + arrived.size()) * 4 / 3));
    for (Map.Entry<K, S> e : before.entrySet()) {
      List<V> values = arrived.get(e.getKey());
      Optional<S> s = update.apply(values == null ? List.of() : values, Optional.of(e.getValue()));
      if (s != null && s.isPresent()) {
        after.put(e.getKey(), s.get());
      }
    }
    for (Map.Entry<K, List<V>> e : arrived.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        Optional<S> s = update.apply(e.getValue(), Optional.empty());
        if (s != null && s.isPresent()) {
          after.put(e.getKey(), s.get());
        }
      }
    }
    return after;
  }

  /**
   * Has the executor owning partition {@code p} write it into the checkpoint directory for the
   * generation of batch {@code checkpointTime}; only when {@link #isOwnedElsewhere}.
   */
  public OwnedPart snapshotOwned(int p, long checkpointTime) {
    return held.snapshotOwned(p, checkpointTime);
  }

  /** Whether the partitions are kept by the executors that own them rather than here. */
  public boolean isOwnedElsewhere() {
    return held.isOwnedElsewhere();
  }

  @Override
  public boolean isMaterialized() {
    return held.isSet();
  }

  @Override
  public void materialize(TaskPool runner, StateUpdateRunner updates) {
    updates.run(new Stage(nodeId, batchTime, previousTime, partitioner.partitions()), runner);
    previous = null;
    newValues = null;
  }

  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public Map<K, S> partitionMap(int p) {
    return held.partition(p, "the state of node " + nodeId);
  }

  @Override
  public int numPartitions() {
    return partitioner.partitions();
  }

  @Override
  public void compute(int partition, Consumer<? super Pair<K, S>> out) {
    for (Map.Entry<K, S> e : partitionMap(partition).entrySet()) {
      out.accept(Pair.of(e.getKey(), e.getValue()));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    if (isMaterialized()) {
      return List.of();
    }
    return previous instanceof Dataset<?> d ? List.of(d, newValues) : List.of(newValues);
  }

  /** This batch's update as its runner sees it; valid during {@link #materialize} only. */
  private final class Stage extends StateStage {
    private final KeyedDataset<K, S> before = previous;
    private final ShuffleDataset<K, V, List<V>> arrived = newValues;

    Stage(int nodeId, long batchTime, long previousTime, int partitions) {
      super(nodeId, batchTime, previousTime, partitions);
    }

    @Override
    public boolean hasPrevious() {
      return before != null;
    }

    @Override
    public boolean previousHeldHere() {
      return before != null && !(before instanceof StateDataset<?, ?, ?> s && s.isOwnedElsewhere());
    }

    @Override
    public List<Object> previousPartition(int partition) {
      return before == null ? List.of() : KeyedPartitions.flatten(before.partitionMap(partition));
    }

    @Override
    public List<Object> input(int partition) {
      return KeyedPartitions.flatten(arrived.partitionMap(partition));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void runLocally(TaskPool local) {
      int n = partitioner.partitions();
      HashMap<K, S>[] next = new HashMap[n];
      local.runTasks(
          n,
          r ->
              next[r] =
                  updatePartition(
                      before == null ? Map.of() : before.partitionMap(r),
                      arrived.partitionMap(r),
                      update));
      held.holdHere(next);
    }

    @Override
    public void ownedElsewhere(OwnedPartitions partitions) {
      held.ownedBy(partitions);
    }
  }
}
