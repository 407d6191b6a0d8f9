package dev.millrace.runtime.dataset;

import dev.millrace.streaming.Pair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One window of an incremental {@code reduceByKeyAndWindow(f, invF, …)}: the previous window's
 * result, minus (with {@code invF}) the per-batch reductions that left, plus (with {@code f}) the
 * ones that entered. Work per slide is proportional to the keys entering and leaving, not to the
 * window's length. Without a previous window the result is computed from the window's batches.
 *
 * <p>All inputs are per-batch reductions partitioned like this dataset, so every partition is
 * computed from the same partition of its inputs.
 */
public final class WindowReduceDataset<K, V> extends Dataset<Pair<K, V>>
    implements StageBoundary, KeyedDataset<K, WindowAccumulator<V>> {
  private WindowReduceDataset<K, V> previous;
  private List<? extends KeyedDataset<K, V>> leaving;
  private List<? extends KeyedDataset<K, V>> entering;
  private final BinaryOperator<V> reduce;
  private final BinaryOperator<V> inverse;
  private final BinaryOperator<WindowAccumulator<V>> combine;
  private final Predicate<? super Pair<K, V>> filter;
  private final HashPartitioner partitioner;
  private volatile HashMap<K, WindowAccumulator<V>>[] result;

  /**
   * The window after {@code previous}, or computed from {@code entering} alone when {@code
   * previous} is null (then {@code leaving} must be empty). The output shows the keys {@code
   * filter} accepts; the state keeps every key still in the window.
   */
  public WindowReduceDataset(
      WindowReduceDataset<K, V> previous,
      List<? extends KeyedDataset<K, V>> leaving,
      List<? extends KeyedDataset<K, V>> entering,
      BinaryOperator<V> reduce,
      BinaryOperator<V> inverse,
      Predicate<? super Pair<K, V>> filter,
      HashPartitioner partitioner) {
    if (previous == null && !leaving.isEmpty()) {
      throw new IllegalArgumentException("a window computed from scratch has no leaving batches");
    }
    this.previous = previous;
    this.leaving = List.copyOf(leaving);
    this.entering = List.copyOf(entering);
    this.reduce = reduce;
    this.inverse = inverse;
    this.combine =
        (a, b) ->
            new WindowAccumulator<>(reduce.apply(a.value(), b.value()), a.batches() + b.batches());
    this.filter = filter;
    this.partitioner = partitioner;
  }

  /** A window restored from storage: already materialized. */
  public static <K, V> WindowReduceDataset<K, V> restored(
      HashMap<K, WindowAccumulator<V>>[] partitions,
      BinaryOperator<V> reduce,
      BinaryOperator<V> inverse,
      Predicate<? super Pair<K, V>> filter,
      HashPartitioner partitioner) {
    WindowReduceDataset<K, V> ds =
        new WindowReduceDataset<>(null, List.of(), List.of(), reduce, inverse, filter, partitioner);
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
    HashMap<K, WindowAccumulator<V>>[] next = new HashMap[n];
    runner.runTasks(n, r -> next[r] = computePartition(r));
    result = next;
    previous = null;
    leaving = List.of();
    entering = List.of();
  }

  private HashMap<K, WindowAccumulator<V>> computePartition(int r) {
    HashMap<K, WindowAccumulator<V>> acc =
        previous == null ? new HashMap<>() : new HashMap<>(previous.partitionMap(r));
    // Old values leave first, reduced together, then one inverse per key (as invF(prev, f(olds))).
    HashMap<K, WindowAccumulator<V>> gone = new HashMap<>();
    for (KeyedDataset<K, V> batch : leaving) {
      for (Map.Entry<K, V> e : batch.partitionMap(r).entrySet()) {
        gone.merge(e.getKey(), new WindowAccumulator<>(e.getValue(), 1), combine);
      }
    }
    for (Map.Entry<K, WindowAccumulator<V>> e : gone.entrySet()) {
      WindowAccumulator<V> before = acc.get(e.getKey());
      if (before == null) {
        throw new IllegalStateException(
            "key "
                + e.getKey()
                + " leaves the window but was never in it: its hashCode or equals must be"
                + " consistent across batches");
      }
      int remaining = before.batches() - e.getValue().batches();
      if (remaining <= 0) {
        acc.remove(e.getKey());
      } else {
        acc.put(
            e.getKey(),
            new WindowAccumulator<>(
                inverse.apply(before.value(), e.getValue().value()), remaining));
      }
    }
    for (KeyedDataset<K, V> batch : entering) {
      for (Map.Entry<K, V> e : batch.partitionMap(r).entrySet()) {
        acc.merge(e.getKey(), new WindowAccumulator<>(e.getValue(), 1), combine);
      }
    }
    return acc;
  }

  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public Map<K, WindowAccumulator<V>> partitionMap(int p) {
    return result[p];
  }

  @Override
  public int numPartitions() {
    return partitioner.partitions();
  }

  @Override
  public void compute(int partition, Consumer<? super Pair<K, V>> out) {
    for (Map.Entry<K, WindowAccumulator<V>> e : result[partition].entrySet()) {
      Pair<K, V> p = Pair.of(e.getKey(), e.getValue().value());
      if (filter == null || filter.test(p)) {
        out.accept(p);
      }
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<Dataset<?>> parents() {
    if (result != null) {
      return List.of();
    }
    List<Dataset<?>> ps = new java.util.ArrayList<>();
    if (previous != null) {
      ps.add(previous);
    }
    for (KeyedDataset<K, V> k : (List<KeyedDataset<K, V>>) (List) leaving) {
      ps.add((Dataset<?>) k);
    }
    for (KeyedDataset<K, V> k : (List<KeyedDataset<K, V>>) (List) entering) {
      ps.add((Dataset<?>) k);
    }
    return ps;
  }
}
