package dev.millrace.runtime.dataset;

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
 */
public final class StateDataset<K, V, S> extends Dataset<Pair<K, S>>
    implements StageBoundary, KeyedDataset<K, S> {
  private KeyedDataset<K, S> previous;
  private ShuffleDataset<K, V, List<V>> newValues;
  private final BiFunction<List<V>, Optional<S>, Optional<S>> update;
  private final HashPartitioner partitioner;
  private volatile HashMap<K, S>[] result;

  /**
   * The state after applying {@code newValues} to {@code previous} (null for the first batch). Both
   * must use {@code partitioner}.
   */
  public StateDataset(
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
    this.previous = previous;
    this.newValues = newValues;
    this.update = update;
    this.partitioner = partitioner;
  }

  /** State restored from storage: already materialized, nothing to compute. */
  public static <K, V, S> StateDataset<K, V, S> restored(
      HashMap<K, S>[] partitions, HashPartitioner partitioner) {
    StateDataset<K, V, S> ds = new StateDataset<>(null, null, null, partitioner);
    ds.result = partitions;
    return ds;
  }

  @Override
  public boolean isMaterialized() {
    return result != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void materialize(TaskRunner runner) {
    int n = partitioner.partitions();
    HashMap<K, S>[] next = new HashMap[n];
    runner.runTasks(
        n,
        r -> {
          Map<K, S> before = previous == null ? Map.of() : previous.partitionMap(r);
          Map<K, List<V>> arrived = newValues.partitionMap(r);
          HashMap<K, S> after =
              new HashMap<>(Math.max(16, (before.size() + arrived.size()) * 4 / 3));
          for (Map.Entry<K, S> e : before.entrySet()) {
            List<V> values = arrived.get(e.getKey());
            Optional<S> s =
                update.apply(values == null ? List.of() : values, Optional.of(e.getValue()));
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
          next[r] = after;
        });
    result = next;
    previous = null;
    newValues = null;
  }

  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public Map<K, S> partitionMap(int p) {
    return result[p];
  }

  @Override
  public int numPartitions() {
    return partitioner.partitions();
  }

  @Override
  public void compute(int partition, Consumer<? super Pair<K, S>> out) {
    for (Map.Entry<K, S> e : result[partition].entrySet()) {
      out.accept(Pair.of(e.getKey(), e.getValue()));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    if (result != null) {
      return List.of();
    }
    return previous instanceof Dataset<?> d ? List.of(d, newValues) : List.of(newValues);
  }
}
