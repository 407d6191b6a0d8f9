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
 * Key-value pairs already placed in hash partitions, one entry per key: keyed data restored from a
 * checkpoint, ready to be read by a window or a state update as if it had just been shuffled.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KeyedPartitions<K, V> extends Dataset<Pair<K, V>>
    implements StageBoundary, KeyedDataset<K, V> {
  private final HashMap<K, V>[] partitions;
  private final HashPartitioner partitioner;

  private KeyedPartitions(HashMap<K, V>[] partitions, HashPartitioner partitioner) {
    this.partitions = partitions;
    this.partitioner = partitioner;
  }

  /** A map flattened as key, value, key, value..., in its iteration order. */
  public static List<Object> flatten(Map<?, ?> map) {
    List<Object> flat = new ArrayList<>(2 * map.size());
    for (Map.Entry<?, ?> e : map.entrySet()) {
      flat.add(e.getKey());
      flat.add(e.getValue());
    }
    return flat;
  }

  /** The map of a {@link #flatten flattened} one. */
  @SuppressWarnings("unchecked")
  public static <K, V> HashMap<K, V> unflatten(List<Object> flat) {
    HashMap<K, V> map = new HashMap<>(Math.max(16, flat.size() * 2 / 3));
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      map.put((K) flat.get(i), (V) flat.get(i + 1));
    }
    return map;
  }

  /**
   * {@code pairs} placed by {@code partitioner}; a key occurring twice keeps its last value.
   * Restoring into a different partition count than the data was written with is fine: every key is
   * placed anew.
   */
  public static <K, V> KeyedPartitions<K, V> of(
      List<? extends Pair<K, V>> pairs, HashPartitioner partitioner) {
    return new KeyedPartitions<>(place(pairs, partitioner), partitioner);
  }

  /** {@code pairs} as one map per partition of {@code partitioner}. */
  @SuppressWarnings("unchecked")
  public static <K, V> HashMap<K, V>[] place(
      List<? extends Pair<K, V>> pairs, HashPartitioner partitioner) {
    int n = partitioner.partitions();
    HashMap<K, V>[] maps = new HashMap[n];
    for (int p = 0; p < n; p++) {
      maps[p] = new HashMap<>(Math.max(16, pairs.size() / n * 4 / 3));
    }
    for (Pair<K, V> pair : pairs) {
      maps[partitioner.partition(pair.key())].put(pair.key(), pair.value());
    }
    return maps;
  }

  @Override
  public boolean isMaterialized() {
    return true;
  }

  @Override
  public void materialize(TaskPool runner) {}

  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public Map<K, V> partitionMap(int p) {
    return partitions[p];
  }

  @Override
  public int numPartitions() {
    return partitioner.partitions();
  }

  @Override
  public void compute(int partition, Consumer<? super Pair<K, V>> out) {
    for (Map.Entry<K, V> e : partitions[partition].entrySet()) {
      out.accept(Pair.of(e.getKey(), e.getValue()));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    return List.of();
  }
}
