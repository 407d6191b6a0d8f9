package dev.millrace.runtime.shuffle;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.StageBoundary;
import dev.millrace.runtime.dataset.TaskPool;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Two keyed datasets grouped side by side: for each key present in either, the list of its values
 * on the left and on the right. Join, leftOuterJoin and cogroup are built on it.
 */
public final class CoGroupDataset<K, V, W> extends Dataset<Pair<K, Pair<List<V>, List<W>>>>
    implements StageBoundary {
  private Dataset<? extends Pair<K, V>> left;
  private Dataset<? extends Pair<K, W>> right;
  private final HashPartitioner partitioner;
  private volatile List<HashMap<K, Pair<List<V>, List<W>>>> result;

  /** Groups {@code left} and {@code right} by key into {@code partitioner.partitions()} parts. */
  public CoGroupDataset(
      Dataset<? extends Pair<K, V>> left,
      Dataset<? extends Pair<K, W>> right,
      HashPartitioner partitioner) {
    this.left = left;
    this.right = right;
    this.partitioner = partitioner;
  }

  @Override
  public boolean isMaterialized() {
    return result != null;
  }

  @Override
  public void materialize(TaskPool runner) {
    int leftMaps = left.numPartitions();
    int maps = leftMaps + right.numPartitions();
    int n = partitioner.partitions();
    List<List<HashMap<K, Pair<List<V>, List<W>>>>> buckets = new ArrayList<>(maps);
    for (int m = 0; m < maps; m++) {
      buckets.add(null);
    }
    runner.runTasks(
        maps,
        m -> {
          List<HashMap<K, Pair<List<V>, List<W>>>> mine = newMaps(n);
          if (m < leftMaps) {
            left.compute(m, p -> group(mine, p.key()).key().add(p.value()));
          } else {
            right.compute(m - leftMaps, p -> group(mine, p.key()).value().add(p.value()));
          }
          buckets.set(m, mine);
        });
    List<HashMap<K, Pair<List<V>, List<W>>>> reduced = newMaps(n);
    runner.runTasks(
        n,
        r -> {
          HashMap<K, Pair<List<V>, List<W>>> merged = reduced.get(r);
          for (int m = 0; m < maps; m++) {
            for (Map.Entry<K, Pair<List<V>, List<W>>> e : buckets.get(m).get(r).entrySet()) {
              Pair<List<V>, List<W>> into = merged.get(e.getKey());
              if (into == null) {
                merged.put(e.getKey(), e.getValue());
              } else {
                into.key().addAll(e.getValue().key());
                into.value().addAll(e.getValue().value());
              }
            }
          }
        });
    result = reduced;
    left = null;
    right = null;
  }

  private Pair<List<V>, List<W>> group(List<HashMap<K, Pair<List<V>, List<W>>>> maps, K key) {
    return maps.get(partitioner.partition(key))
        .computeIfAbsent(key, k -> Pair.of(new ArrayList<>(), new ArrayList<>()));
  }

  private static <X> List<X> newMaps(int n) {
    List<X> maps = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      @SuppressWarnings("unchecked")
      X map = (X) new HashMap<>();
      maps.add(map);
    }
    return maps;
  }

  @Override
  public int numPartitions() {
    return partitioner.partitions();
  }

  @Override
  public void compute(int partition, Consumer<? super Pair<K, Pair<List<V>, List<W>>>> out) {
    for (Map.Entry<K, Pair<List<V>, List<W>>> e : result.get(partition).entrySet()) {
      out.accept(Pair.of(e.getKey(), e.getValue()));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    Dataset<?> l = left;
    Dataset<?> r = right;
    return l == null ? List.of() : List.of(l, r);
  }
}
