package dev.millrace.runtime.state;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.TaskPool;
import dev.millrace.runtime.dataset.WindowAccumulator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.KeyedDataset;
import dev.millrace.runtime.shuffle.KeyedPartitions;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
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
    implements StateBoundary, KeyedDataset<K, WindowAccumulator<V>> {
  private final int nodeId;
  private final long batchTime;
  private final long previousTime;
  private WindowReduceDataset<K, V> previous;
  private List<? extends KeyedDataset<K, V>> leaving;
  private List<? extends KeyedDataset<K, V>> entering;
  private final BinaryOperator<V> reduce;
  private final BinaryOperator<V> inverse;
  private final Predicate<? super Pair<K, V>> filter;
  private final HashPartitioner partitioner;
  private final HeldPartitions<K, WindowAccumulator<V>> held =
      new HeldPartitions<>(WindowReduceDataset::fromWire);

  /**
   * The window of node {@code nodeId} at {@code batchTime} after {@code previous}, the window at
   * {@code previousTime}, or computed from {@code entering} alone when {@code previous} is null
   * (then {@code leaving} must be empty). The output shows the keys {@code filter} accepts; the
   * state keeps every key still in the window.
   */
  public WindowReduceDataset(
      int nodeId,
      long batchTime,
      long previousTime,
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
    this.nodeId = nodeId;
    this.batchTime = batchTime;
    this.previousTime = previousTime;
    this.previous = previous;
    this.leaving = List.copyOf(leaving);
    this.entering = List.copyOf(entering);
    this.reduce = reduce;
    this.inverse = inverse;
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
        new WindowReduceDataset<>(
            -1, -1, -1, null, List.of(), List.of(), reduce, inverse, filter, partitioner);
    ds.held.holdHere(partitions);
    return ds;
  }

  private static <V> BinaryOperator<WindowAccumulator<V>> combiner(BinaryOperator<V> reduce) {
    return (a, b) ->
        new WindowAccumulator<>(reduce.apply(a.value(), b.value()), a.batches() + b.batches());
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
    leaving = List.of();
    entering = List.of();
  }

  /**
   * One partition of the next window: {@code before} with the {@code leaving} per-batch reductions
   * taken out (reduced together, then one {@code inverse} per key, as invF(prev, f(olds))) and the
   * {@code entering} ones reduced in. The same in every process.
   */
  public static <K, V> HashMap<K, WindowAccumulator<V>> windowPartition(
      Map<K, WindowAccumulator<V>> before,
      List<? extends Map<K, V>> leaving,
      List<? extends Map<K, V>> entering,
      BinaryOperator<V> reduce,
      BinaryOperator<V> inverse) {
    BinaryOperator<WindowAccumulator<V>> combine = combiner(reduce);
    HashMap<K, WindowAccumulator<V>> acc = new HashMap<>(before);
    HashMap<K, WindowAccumulator<V>> gone = new HashMap<>();
    for (Map<K, V> batch : leaving) {
      for (Map.Entry<K, V> e : batch.entrySet()) {
        gone.merge(e.getKey(), new WindowAccumulator<>(e.getValue(), 1), combine);
      }
    }
    for (Map.Entry<K, WindowAccumulator<V>> e : gone.entrySet()) {
      WindowAccumulator<V> was = acc.get(e.getKey());
      if (was == null) {
        throw new IllegalStateException(
            "key "
                + e.getKey()
                + " leaves the window but was never in it: its hashCode or equals must be"
                + " consistent across batches");
      }
      int remaining = was.batches() - e.getValue().batches();
      if (remaining <= 0) {
        acc.remove(e.getKey());
      } else {
        acc.put(
            e.getKey(),
            new WindowAccumulator<>(inverse.apply(was.value(), e.getValue().value()), remaining));
      }
    }
    for (Map<K, V> batch : entering) {
      for (Map.Entry<K, V> e : batch.entrySet()) {
        acc.merge(e.getKey(), new WindowAccumulator<>(e.getValue(), 1), combine);
      }
    }
    return acc;
  }

  /** Accumulators in wire form: key, then the pair (value, batches), for each key. */
  public static List<Object> toWire(Map<?, ? extends WindowAccumulator<?>> accumulators) {
    List<Object> flat = new ArrayList<>(2 * accumulators.size());
    for (Map.Entry<?, ? extends WindowAccumulator<?>> e : accumulators.entrySet()) {
      flat.add(e.getKey());
      flat.add(Pair.of(e.getValue().value(), e.getValue().batches()));
    }
    return flat;
  }

  /** Accumulators of their {@link #toWire wire form}. */
  @SuppressWarnings("unchecked")
  public static <K, V> HashMap<K, WindowAccumulator<V>> fromWire(List<Object> flat) {
    HashMap<K, WindowAccumulator<V>> map = new HashMap<>(Math.max(16, flat.size() * 2 / 3));
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      Pair<V, Integer> acc = (Pair<V, Integer>) flat.get(i + 1);
      map.put((K) flat.get(i), new WindowAccumulator<>(acc.key(), acc.value()));
    }
    return map;
  }

  /**
   * The input of one partition's update in wire form: the number of leaving batches, each leaving
   * batch flattened as key, value..., then the same for the entering ones.
   */
  public static List<Object> inputToWire(
      List<? extends Map<?, ?>> leaving, List<? extends Map<?, ?>> entering) {
    List<Object> input = new ArrayList<>();
    for (List<? extends Map<?, ?>> batches : List.of(leaving, entering)) {
      input.add(batches.size());
      for (Map<?, ?> batch : batches) {
        input.add(KeyedPartitions.flatten(batch));
      }
    }
    return input;
  }

  /** The leaving (first) and entering (second) batches of an {@link #inputToWire input}. */
  @SuppressWarnings("unchecked")
  public static <K, V> List<List<HashMap<K, V>>> inputFromWire(List<Object> input) {
    List<List<HashMap<K, V>>> both = new ArrayList<>();
    int i = 0;
    for (int side = 0; side < 2; side++) {
      int count = (Integer) input.get(i++);
      List<HashMap<K, V>> batches = new ArrayList<>(count);
      for (int b = 0; b < count; b++) {
        batches.add(KeyedPartitions.unflatten((List<Object>) input.get(i++)));
      }
      both.add(batches);
    }
    return both;
  }

  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public Map<K, WindowAccumulator<V>> partitionMap(int p) {
    return held.partition(p, "the window of node " + nodeId);
  }

  @Override
  public int numPartitions() {
    return partitioner.partitions();
  }

  @Override
  public void compute(int partition, Consumer<? super Pair<K, V>> out) {
    for (Map.Entry<K, WindowAccumulator<V>> e : partitionMap(partition).entrySet()) {
      Pair<K, V> p = Pair.of(e.getKey(), e.getValue().value());
      if (filter == null || filter.test(p)) {
        out.accept(p);
      }
    }
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public List<Dataset<?>> parents() {
    if (isMaterialized()) {
      return List.of();
    }
    List<Dataset<?>> ps = new ArrayList<>();
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

  /** This window's update as its runner sees it; valid during {@link #materialize} only. */
  private final class Stage extends StateStage {
    private final WindowReduceDataset<K, V> before = previous;
    private final List<? extends KeyedDataset<K, V>> out = leaving;
    private final List<? extends KeyedDataset<K, V>> in = entering;

    Stage(int nodeId, long batchTime, long previousTime, int partitions) {
      super(nodeId, batchTime, previousTime, partitions);
    }

    @Override
    public boolean hasPrevious() {
      return before != null;
    }

    @Override
    public boolean previousHeldHere() {
      return before != null && !before.isOwnedElsewhere();
    }

    @Override
    public List<Object> previousPartition(int partition) {
      return before == null ? List.of() : toWire(before.partitionMap(partition));
    }

    @Override
    public List<Object> input(int partition) {
      return inputToWire(maps(out, partition), maps(in, partition));
    }

    private List<Map<K, V>> maps(List<? extends KeyedDataset<K, V>> batches, int partition) {
      List<Map<K, V>> maps = new ArrayList<>(batches.size());
      for (KeyedDataset<K, V> batch : batches) {
        maps.add(batch.partitionMap(partition));
      }
      return maps;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void runLocally(TaskPool local) {
      int n = partitioner.partitions();
      HashMap<K, WindowAccumulator<V>>[] next = new HashMap[n];
      local.runTasks(
          n,
          r ->
              next[r] =
                  windowPartition(
                      before == null ? Map.of() : before.partitionMap(r),
                      maps(out, r),
                      maps(in, r),
                      reduce,
                      inverse));
      held.holdHere(next);
    }

    @Override
    public void ownedElsewhere(OwnedPartitions partitions) {
      held.ownedBy(partitions);
    }
  }
}
