package dev.millrace.runtime.shuffle;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.TaskPool;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;

/**
 * Moves records by key into {@code n} partitions, combining values of one key on the map side
 * first: reduceByKey, groupByKey, countByValue and the per-batch half of windowed reduces.
 *
 * <p>Map tasks, one per parent partition, each fill one hash map per target partition; reduce
 * tasks, one per target partition, merge those maps in map-task order, so the result is the same on
 * every run over the same input.
 */
public final class ShuffleDataset<K, V, C> extends Dataset<Pair<K, C>>
    implements ShuffleBoundary, KeyedDataset<K, C> {
  private final ShuffleId id;
  private Dataset<? extends Pair<K, V>> parent;
  private final Aggregator<V, C> aggregator;
  private final HashPartitioner partitioner;
  private volatile HashMap<K, C>[] result;

  /** Shuffles {@code parent} into {@code partitioner.partitions()} partitions. */
  public ShuffleDataset(
      Dataset<? extends Pair<K, V>> parent,
      Aggregator<V, C> aggregator,
      HashPartitioner partitioner) {
    this.id = ShuffleScope.next();
    this.parent = parent;
    this.aggregator = aggregator;
    this.partitioner = partitioner;
  }

  /** This shuffle's name in every process, or null if it was created outside a node's compute. */
  public ShuffleId id() {
    return id;
  }

  @Override
  public boolean isMaterialized() {
    return result != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void materialize(TaskPool runner, ShuffleMapRunner mapRunner) {
    Dataset<? extends Pair<K, V>> input = parent;
    int maps = input.numPartitions();
    int n = partitioner.partitions();
    HashMap<K, C>[][] buckets = new HashMap[maps][];
    mapRunner.run(
        new ShuffleMapStage() {
          @Override
          public ShuffleId id() {
            return id;
          }

          @Override
          public Dataset<?> input() {
            return input;
          }

          @Override
          public int mapTasks() {
            return maps;
          }

          @Override
          public int reducePartitions() {
            return n;
          }

          @Override
          public void runLocally(int mapTask) {
            buckets[mapTask] = mapOutput(mapTask);
          }

          @Override
          public void accept(int mapTask, List<List<Object>> keysAndCombiners) {
            buckets[mapTask] = fromKeysAndCombiners(keysAndCombiners, n);
          }
        },
        runner);
    HashMap<K, C>[] reduced = new HashMap[n];
    BinaryOperator<C> mergeCombiners = aggregator::merge;
    runner.runTasks(
        n,
        r -> {
          HashMap<K, C> merged = null;
          for (int m = 0; m < maps; m++) {
            HashMap<K, C> part = buckets[m][r];
            if (merged == null) {
              merged = part;
            } else {
              for (Map.Entry<K, C> e : part.entrySet()) {
                merged.merge(e.getKey(), e.getValue(), mergeCombiners);
              }
            }
          }
          reduced[r] = merged == null ? new HashMap<>() : merged;
        });
    result = reduced;
    parent = null;
  }

  /**
   * Computes map task {@code mapTask} on the calling thread: the parent's partition combined by
   * key, one map per reduce partition. Before {@link #materialize} only.
   */
  @SuppressWarnings("unchecked")
  public HashMap<K, C>[] mapOutput(int mapTask) {
    int n = partitioner.partitions();
    HashMap<K, C>[] mine = new HashMap[n];
    for (int r = 0; r < n; r++) {
      mine[r] = new HashMap<>();
    }
    parent.compute(
        mapTask,
        pair -> {
          K key = pair.key();
          aggregator.add(mine[partitioner.partition(key)], key, pair.value());
        });
    return mine;
  }

  /**
   * The output of a map task as {@link ShuffleMapStage#accept} describes it: per reduce partition,
   * key, combiner, key, combiner... in the map's iteration order.
   */
  public static List<List<Object>> keysAndCombiners(Map<?, ?>[] mapOutput) {
    List<List<Object>> out = new ArrayList<>(mapOutput.length);
    for (Map<?, ?> bucket : mapOutput) {
      out.add(KeyedPartitions.flatten(bucket));
    }
    return out;
  }

  // The reduce side merges map outputs in map-task order wherever they ran, so every key's
  // combiner is the same as in a local run.
  @SuppressWarnings("unchecked")
  private static <K, C> HashMap<K, C>[] fromKeysAndCombiners(
      List<List<Object>> keysAndCombiners, int n) {
    if (keysAndCombiners.size() != n) {
      throw new IllegalArgumentException(
          "a map output for " + n + " reduce partitions has " + keysAndCombiners.size());
    }
    HashMap<K, C>[] maps = new HashMap[n];
    for (int r = 0; r < n; r++) {
      maps[r] = KeyedPartitions.unflatten(keysAndCombiners.get(r));
    }
    return maps;
  }

  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public Map<K, C> partitionMap(int p) {
    return result[p];
  }

  @Override
  public int numPartitions() {
    return partitioner.partitions();
  }

  @Override
  public void compute(int partition, Consumer<? super Pair<K, C>> out) {
    for (Map.Entry<K, C> e : result[partition].entrySet()) {
      out.accept(Pair.of(e.getKey(), e.getValue()));
    }
  }

  @Override
  public List<Dataset<?>> parents() {
    Dataset<?> p = parent;
    return p == null ? List.of() : List.of(p);
  }
}
