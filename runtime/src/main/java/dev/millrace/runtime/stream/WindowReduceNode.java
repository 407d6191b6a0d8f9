package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.HashPartitioner;
import dev.millrace.runtime.dataset.KeyedDataset;
import dev.millrace.runtime.dataset.KeyedPartitions;
import dev.millrace.runtime.dataset.TaskRunner;
import dev.millrace.runtime.dataset.WindowAccumulator;
import dev.millrace.runtime.dataset.WindowReduceDataset;
import dev.millrace.streaming.Duration;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Predicate;

/**
 * The incremental {@code reduceByKeyAndWindow(f, invF, length, slide)}: each window is the previous
 * one with the leaving batches inverse-reduced out and the entering ones reduced in. Its parent is
 * the per-batch reduction, partitioned like this stream.
 */
public final class WindowReduceNode<K, V> extends StreamNode<Pair<K, V>> implements StatefulNode {
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
  public List<Object> snapshot(long time, TaskRunner runner) {
    long at = latestTimeAtOrBefore(time);
    List<Object> window = new ArrayList<>();
    if (isTimeValid(at)) {
      Dataset<Pair<K, V>> ds = getOrCompute(at);
      runner.prepare(List.of(ds));
      KeyedDataset<K, WindowAccumulator<V>> acc = (KeyedDataset<K, WindowAccumulator<V>>) ds;
      for (int p = 0; p < partitioner.partitions(); p++) {
        for (Map.Entry<K, WindowAccumulator<V>> e : acc.partitionMap(p).entrySet()) {
          WindowAccumulator<V> a = e.getValue();
          window.add(Pair.of(e.getKey(), Pair.of(a.value(), a.batches())));
        }
      }
    }
    List<Object> records = new ArrayList<>();
    records.add(window);
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
    return records;
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
        previous, leaving, entering, reduce, inverse, filter, partitioner);
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
