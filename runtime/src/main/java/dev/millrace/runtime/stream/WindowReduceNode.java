package dev.millrace.runtime.stream;

import dev.millrace.runtime.checkpoint.StateParts;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.WindowAccumulator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.KeyedDataset;
import dev.millrace.runtime.shuffle.KeyedPartitions;
import dev.millrace.runtime.state.OwnedPart;
import dev.millrace.runtime.state.WindowReduceDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;

/**
 * The incremental {@code reduceByKeyAndWindow(f, invF, length, slide)}: each window is the previous
 * one with the leaving batches inverse-reduced out and the entering ones reduced in. Its parent is
 * the per-batch reduction, partitioned like this stream.
 */
public final class WindowReduceNode<K, V> extends StreamNode<Pair<K, V>>
    implements StatefulNode, PartitionedState {
  private final StreamNode<Pair<K, V>> reducedPerBatch;
  private final Duration length;
  private final Duration slide;
  private final BinaryOperator<V> reduce;
  private final BinaryOperator<V> inverse;
  private final Predicate<? super Pair<K, V>> filter;
  private final HashPartitioner partitioner;

  /** A window of {@code length} sliding by {@code slide} over already-reduced batches. */
  public WindowReduceNode(
      StreamNode<Pair<K, V>> reducedPerBatch,
      Duration length,
      Duration slide,
      BinaryOperator<V> reduce,
      BinaryOperator<V> inverse,
      Predicate<? super Pair<K, V>> filter,
      HashPartitioner partitioner) {
    super(
        Windows.validate("reduceByKeyAndWindow", reducedPerBatch, length, slide),
        "reduceByKeyAndWindow");
    this.reducedPerBatch = reducedPerBatch;
    this.length = length;
    this.slide = slide;
    this.reduce = reduce;
    this.inverse = inverse;
    this.filter = filter;
    this.partitioner = partitioner;
  }

  @Override
  public Duration slide() {
    return slide;
  }

  @Override
  public List<StreamNode<?>> parents() {
    return List.of(reducedPerBatch);
  }

  @Override
  protected long parentHistoryMillis() {
    return length.milliseconds() + slide.milliseconds();
  }

  @Override
  protected long minimumRememberMillis() {
    return 2 * slide.milliseconds();
  }

  /** The partitioner of the window state. */
  @Override
  public HashPartitioner partitioner() {
    return partitioner;
  }

  @Override
  public String shape() {
    return Windows.shape(operation(), length, slide, ", inverse");
  }

  /**
   * The open window as of this stream's latest batch at {@code time} (each key as {@code (key,
   * (value, batches))}), then for each per-batch reduction that is still to enter or leave a later
   * window, its time and its {@code (key, value)} pairs.
   */
  @Override
  @SuppressWarnings("unchecked")
  public StateSnapshot snapshot(long time, TaskRunner runner) {
    long at = latestTimeAtOrBefore(time);
    List<Object> window = new ArrayList<>();
    Object windowRecord = window;
    long keys = 0;
    long ownedBytes = 0;
    if (isTimeValid(at)) {
      Dataset<Pair<K, V>> ds = getOrCompute(at);
      runner.prepare(List.of(ds));
      KeyedDataset<K, WindowAccumulator<V>> acc = (KeyedDataset<K, WindowAccumulator<V>>) ds;
      if (ds instanceof WindowReduceDataset<?, ?> owned && owned.isOwnedElsewhere()) {
        // Each owner writes its partition of the open window; the snapshot references them.
        List<OwnedPart> parts = new ArrayList<>();
        for (int p = 0; p < partitioner.partitions(); p++) {
          parts.add(owned.snapshotOwned(p, time));
        }
        windowRecord = StateParts.reference(time, id(), OwnedPart.files(parts));
        keys = OwnedPart.keys(parts);
        ownedBytes = OwnedPart.bytes(parts);
        acc = null;
      }
      for (int p = 0; acc != null && p < partitioner.partitions(); p++) {
        for (Map.Entry<K, WindowAccumulator<V>> e : acc.partitionMap(p).entrySet()) {
          WindowAccumulator<V> a = e.getValue();
          window.add(Pair.of(e.getKey(), Pair.of(a.value(), a.batches())));
        }
      }
      if (acc != null) {
        keys = window.size();
      }
    }
    List<Object> records = new ArrayList<>();
    records.add(windowRecord);
    long step = reducedPerBatch.slide().milliseconds();
    for (long t = at - length.milliseconds() + step; t <= time; t += step) {
      Dataset<Pair<K, V>> batch = reducedPerBatch.getOrCompute(t);
      if (batch == null) {
        continue;
      }
      runner.prepare(List.of(batch));
      KeyedDataset<K, V> keyed = (KeyedDataset<K, V>) batch;
      List<Object> pairs = new ArrayList<>();
      for (int p = 0; p < partitioner.partitions(); p++) {
        keyed.partitionMap(p).forEach((k, v) -> pairs.add(Pair.of(k, v)));
      }
      records.add(t);
      records.add(pairs);
    }
    return new StateSnapshot(records, keys, ownedBytes);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void restore(long time, List<Object> records) {
    long at = latestTimeAtOrBefore(time);
    List<Pair<K, Pair<V, Integer>>> window = (List<Pair<K, Pair<V, Integer>>>) records.get(0);
    if (isTimeValid(at)) {
      List<Pair<K, WindowAccumulator<V>>> entries = new ArrayList<>(window.size());
      for (Pair<K, Pair<V, Integer>> e : window) {
        entries.add(Pair.of(e.key(), new WindowAccumulator<>(e.value().key(), e.value().value())));
      }
      put(
          at,
          WindowReduceDataset.restored(
              KeyedPartitions.place(entries, partitioner), reduce, inverse, filter, partitioner));
    }
    for (int i = 1; i + 1 < records.size(); i += 2) {
      long t = (Long) records.get(i);
      List<Pair<K, V>> pairs = (List<Pair<K, V>>) records.get(i + 1);
      reducedPerBatch.put(t, KeyedPartitions.of(pairs, partitioner));
    }
  }

  @Override
  public void advance(long time, TaskRunner runner) {
    if (isTimeValid(time)) {
      runner.prepare(List.of(getOrCompute(time)));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Dataset<Pair<K, V>> compute(long time) {
    long len = length.milliseconds();
    long sl = slide.milliseconds();
    long previousTime = time - sl;
    WindowReduceDataset<K, V> previous = null;
    // Overlapping windows only: with slide >= length no batch is shared, recompute from scratch.
    if (sl < len && isTimeValid(previousTime)) {
      Dataset<Pair<K, V>> prev = peek(previousTime);
      previous = (WindowReduceDataset<K, V>) (prev != null ? prev : getOrCompute(previousTime));
    }
    List<KeyedDataset<K, V>> leaving = new ArrayList<>();
    List<KeyedDataset<K, V>> entering = new ArrayList<>();
    if (previous != null) {
      collect(time - sl - len, time - len, leaving);
      collect(time - sl, time, entering);
    } else {
      collect(time - len, time, entering);
    }
    return new WindowReduceDataset<>(
        id(),
        time,
        previousTime,
        previous,
        leaving,
        entering,
        reduce,
        inverse,
        filter,
        partitioner);
  }

  /**
   * The input is the leaving and entering per-batch reductions of the partition ({@link
   * WindowReduceDataset#inputToWire}); the state is the accumulators in wire form.
   */
  @Override
  public HashMap<Object, Object> updatePartition(Map<Object, Object> before, List<Object> input) {
    List<List<HashMap<Object, Object>>> batches = WindowReduceDataset.inputFromWire(input);
    return window(before, batches.get(0), batches.get(1));
  }

  @SuppressWarnings("unchecked")
  private HashMap<Object, Object> window(
      Map<Object, Object> before,
      List<? extends Map<Object, Object>> leaving,
      List<? extends Map<Object, Object>> entering) {
    HashMap<K, WindowAccumulator<V>> next =
        WindowReduceDataset.windowPartition(
            WindowReduceDataset.<K, V>fromWire(KeyedPartitions.flatten(before)),
            (List<Map<K, V>>) (List<?>) leaving,
            (List<Map<K, V>>) (List<?>) entering,
            reduce,
            inverse);
    return KeyedPartitions.unflatten(WindowReduceDataset.toWire(next));
  }

  /**
   * The snapshot is the open window and the per-batch reductions still to enter or leave a window
   * ({@link #snapshot}); each batch after it is reduced again, and each window after it moves as
   * {@link #compute} moves it.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Recovery recover(List<Object> snapshot, long snapshotTime, int partition) {
    long at = latestTimeAtOrBefore(snapshotTime);
    HashMap<Object, Object> initial = new HashMap<>();
    if (isTimeValid(at)) {
      for (Pair<Object, Object> e : (List<Pair<Object, Object>>) snapshot.get(0)) {
        if (partitioner.partition(e.key()) == partition) {
          initial.put(e.key(), e.value());
        }
      }
    }
    TreeMap<Long, Map<Object, Object>> perBatch = new TreeMap<>();
    for (int i = 1; i + 1 < snapshot.size(); i += 2) {
      Map<Object, Object> mine = new HashMap<>();
      for (Pair<Object, Object> e : (List<Pair<Object, Object>>) snapshot.get(i + 1)) {
        if (partitioner.partition(e.key()) == partition) {
          mine.put(e.key(), e.value());
        }
      }
      perBatch.put((Long) snapshot.get(i), mine);
    }
    long len = length.milliseconds();
    long sl = slide.milliseconds();
    return new Recovery() {
      private HashMap<Object, Object> state = initial;

      @Override
      public void replayed(long time, TaskRunner runner) {
        Dataset<Pair<K, V>> batch = reducedPerBatch.getOrCompute(time);
        if (batch != null) {
          runner.prepare(List.of(batch));
          perBatch.put(
              time, new HashMap<>(((KeyedDataset<Object, Object>) batch).partitionMap(partition)));
        }
        if (!isTimeValid(time)) {
          return;
        }
        boolean overlapping = sl < len && isTimeValid(time - sl);
        state =
            overlapping
                ? window(state, between(time - sl - len, time - len), between(time - sl, time))
                : window(Map.of(), List.of(), between(time - len, time));
        perBatch.headMap(time - len, true).clear();
      }

      private List<Map<Object, Object>> between(long from, long to) {
        return new ArrayList<>(perBatch.subMap(from, false, to, true).values());
      }

      @Override
      public HashMap<Object, Object> state() {
        return state;
      }
    };
  }

  /** The per-batch reductions at times in (from, to]. */
  @SuppressWarnings("unchecked")
  private void collect(long from, long to, List<KeyedDataset<K, V>> into) {
    long step = reducedPerBatch.slide().milliseconds();
    for (long t = from + step; t <= to; t += step) {
      Dataset<Pair<K, V>> ds = reducedPerBatch.getOrCompute(t);
      if (ds != null) {
        into.add((KeyedDataset<K, V>) ds);
      }
    }
  }
}
