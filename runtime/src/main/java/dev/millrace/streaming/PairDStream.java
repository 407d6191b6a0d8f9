package dev.millrace.streaming;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Pipe;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.CoGroupDataset;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.stream.MappedNode;
import dev.millrace.runtime.stream.StateNode;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.stream.WindowReduceNode;
import dev.millrace.runtime.stream.Windows;
import dev.millrace.runtime.stream.ZippedNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A stream of key-value {@link Pair}s, with operations by key. Keyed operations hash-partition
 * their output into the default number of partitions ({@code local[N]}'s N, or {@code
 * millrace.default.parallelism}) unless given a count, combining values on the map side before
 * moving any data.
 *
 * @param <K> key type; equal keys must have equal hash codes
 * @param <V> value type
 */
public class PairDStream<K, V> extends DStream<Pair<K, V>> {

  PairDStream(StreamingContext ssc, StreamNode<Pair<K, V>> node) {
    super(ssc, node);
  }

  @Override
  Batch<Pair<K, V>> batchOf(Dataset<Pair<K, V>> ds, long time) {
    return new PairBatch<>(ds, time, ssc.runner());
  }

  // ---------------------------------------------------------------- per batch

  /** The values of each key in a batch reduced with the associative {@code f}. */
  public PairDStream<K, V> reduceByKey(BinaryOperator<V> f) {
    return reduceByKey(f, ssc.defaultParallelism());
  }

  /** {@link #reduceByKey(BinaryOperator)} into {@code numPartitions} partitions. */
  public PairDStream<K, V> reduceByKey(BinaryOperator<V> f, int numPartitions) {
    Objects.requireNonNull(f, "f");
    return new PairDStream<>(ssc, reducedPerBatch("reduceByKey", f, numPartitions));
  }

  private StreamNode<Pair<K, V>> reducedPerBatch(
      String operation, BinaryOperator<V> f, int numPartitions) {
    requirePartitions(operation, numPartitions);
    HashPartitioner partitioner = new HashPartitioner(numPartitions);
    return new MappedNode<Pair<K, V>, Pair<K, V>>(
        node, operation, (ds, t) -> new ShuffleDataset<>(ds, Aggregator.reducing(f), partitioner));
  }

  /** All values of each key in a batch, in arrival order. */
  public PairDStream<K, List<V>> groupByKey() {
    return groupByKey(ssc.defaultParallelism());
  }

  /** {@link #groupByKey()} into {@code numPartitions} partitions. */
  public PairDStream<K, List<V>> groupByKey(int numPartitions) {
    requirePartitions("groupByKey", numPartitions);
    HashPartitioner partitioner = new HashPartitioner(numPartitions);
    return new PairDStream<>(
        ssc,
        new MappedNode<Pair<K, V>, Pair<K, List<V>>>(
            node,
            "groupByKey",
            (ds, t) -> new ShuffleDataset<>(ds, Aggregator.<V>grouping(), partitioner)));
  }

  /** Each value transformed by {@code f}; keys and partitioning unchanged. */
  public <U> PairDStream<K, U> mapValues(Function<? super V, ? extends U> f) {
    Objects.requireNonNull(f, "f");
    return new PairDStream<>(
        ssc, narrow("mapValues", Pipe.map(p -> Pair.<K, U>of(p.key(), f.apply(p.value())))));
  }

  /** The pairs {@code p} accepts. */
  @Override
  public PairDStream<K, V> filter(Predicate<? super Pair<K, V>> p) {
    Objects.requireNonNull(p, "p");
    return new PairDStream<>(ssc, narrow("filter", Pipe.filter(p)));
  }

  /** The pairs of this stream and {@code other}, per batch. */
  public PairDStream<K, V> union(PairDStream<K, V> other) {
    return new PairDStream<>(ssc, unionNode(other));
  }

  /** The same pairs spread evenly over {@code numPartitions} partitions. */
  @Override
  public PairDStream<K, V> repartition(int numPartitions) {
    return PairDStream.of(super.repartition(numPartitions));
  }

  /** Keeps each batch in memory once computed. */
  @Override
  public PairDStream<K, V> persist() {
    super.persist();
    return this;
  }

  /** Sets how often this stream's state is checkpointed. */
  @Override
  public PairDStream<K, V> checkpoint(Duration interval) {
    super.checkpoint(interval);
    return this;
  }

  /** Each batch replaced by {@code f} of it, with the keyed operations of {@link PairBatch}. */
  public <K2, V2> PairDStream<K2, V2> transformPairs(
      Function<PairBatch<K, V>, PairBatch<K2, V2>> f) {
    Objects.requireNonNull(f, "f");
    return new PairDStream<>(ssc, transformNode(b -> f.apply(PairBatch.of(b))));
  }

  /** A stream of pairs seen as a {@code PairDStream}. */
  public static <K, V> PairDStream<K, V> of(DStream<Pair<K, V>> stream) {
    return stream instanceof PairDStream<K, V> p ? p : new PairDStream<>(stream.ssc, stream.node);
  }

  // ---------------------------------------------------------------- joins

  /**
   * For each key in both streams' batches at the same time, every pair of their values: {@code (k,
   * (v, w))}.
   */
  public <W> PairDStream<K, Pair<V, W>> join(PairDStream<K, W> other) {
    return join(other, ssc.defaultParallelism());
  }

  /** {@link #join(PairDStream)} into {@code numPartitions} partitions. */
  public <W> PairDStream<K, Pair<V, W>> join(PairDStream<K, W> other, int numPartitions) {
    return this.<W, Pair<V, W>>cogrouped(
        "join",
        other,
        numPartitions,
        (k, g, out) -> {
          for (V v : g.key()) {
            for (W w : g.value()) {
              out.accept(Pair.of(k, Pair.of(v, w)));
            }
          }
        });
  }

  /**
   * For each key of this stream, every value paired with each of the other stream's values for the
   * key, or with an empty optional if it has none.
   */
  public <W> PairDStream<K, Pair<V, Optional<W>>> leftOuterJoin(PairDStream<K, W> other) {
    return leftOuterJoin(other, ssc.defaultParallelism());
  }

  /** {@link #leftOuterJoin(PairDStream)} into {@code numPartitions} partitions. */
  public <W> PairDStream<K, Pair<V, Optional<W>>> leftOuterJoin(
      PairDStream<K, W> other, int numPartitions) {
    return this.<W, Pair<V, Optional<W>>>cogrouped(
        "leftOuterJoin",
        other,
        numPartitions,
        (k, g, out) -> {
          for (V v : g.key()) {
            if (g.value().isEmpty()) {
              out.accept(Pair.of(k, Pair.of(v, Optional.empty())));
            }
            for (W w : g.value()) {
              out.accept(Pair.of(k, Pair.of(v, Optional.ofNullable(w))));
            }
          }
        });
  }

  /**
   * For each key in either stream's batch, the list of its values in each: {@code (k, (vs, ws))}.
   */
  public <W> PairDStream<K, Pair<List<V>, List<W>>> cogroup(PairDStream<K, W> other) {
    return cogroup(other, ssc.defaultParallelism());
  }

  /** {@link #cogroup(PairDStream)} into {@code numPartitions} partitions. */
  public <W> PairDStream<K, Pair<List<V>, List<W>>> cogroup(
      PairDStream<K, W> other, int numPartitions) {
    return this.<W, Pair<List<V>, List<W>>>cogrouped(
        "cogroup", other, numPartitions, (k, g, out) -> out.accept(Pair.of(k, g)));
  }

  private interface GroupEmitter<K, V, W, R> {
    void emit(K key, Pair<List<V>, List<W>> groups, java.util.function.Consumer<Pair<K, R>> out);
  }

  private <W, R> PairDStream<K, R> cogrouped(
      String operation, PairDStream<K, W> other, int numPartitions, GroupEmitter<K, V, W, R> e) {
    Objects.requireNonNull(other, "other");
    requirePartitions(operation, numPartitions);
    HashPartitioner partitioner = new HashPartitioner(numPartitions);
    Pipe<Pair<K, Pair<List<V>, List<W>>>, Pair<K, R>> emit =
        Pipe.mapMulti((g, out) -> e.emit(g.key(), g.value(), out));
    return new PairDStream<>(
        ssc,
        new ZippedNode<Pair<K, V>, Pair<K, W>, Pair<K, R>>(
            node,
            other.node,
            operation,
            (a, b) -> new PipeDataset<>(new CoGroupDataset<>(a, b, partitioner), emit)));
  }

  // ---------------------------------------------------------------- state

  /**
   * A running state per key: at every batch, {@code update} receives the key's new values (empty if
   * none arrived) and its previous state (empty for a new key) and returns the new state, or empty
   * to drop the key. It is called for every key that has state or new values.
   */
  public <S> PairDStream<K, S> updateStateByKey(
      BiFunction<List<V>, Optional<S>, Optional<S>> update) {
    return updateStateByKey(update, ssc.defaultParallelism());
  }

  /** {@link #updateStateByKey(BiFunction)} with the state in {@code numPartitions} partitions. */
  public <S> PairDStream<K, S> updateStateByKey(
      BiFunction<List<V>, Optional<S>, Optional<S>> update, int numPartitions) {
    Objects.requireNonNull(update, "update");
    requirePartitions("updateStateByKey", numPartitions);
    return new PairDStream<>(ssc, new StateNode<>(node, update, numPartitions));
  }

  // ---------------------------------------------------------------- windows

  /** Every {@code slideInterval}, the pairs of the last {@code windowLength}. */
  @Override
  public PairDStream<K, V> window(Duration windowLength, Duration slideInterval) {
    return new PairDStream<>(ssc, windowNode("window", windowLength, slideInterval));
  }

  /** A window of {@code windowLength} sliding every batch. */
  @Override
  public PairDStream<K, V> window(Duration windowLength) {
    return window(windowLength, slideDuration());
  }

  /**
   * Every {@code slideInterval}, the values of each key in the last {@code windowLength} reduced
   * with {@code f}. Each batch is reduced once; each window combines the window's batch results.
   */
  public PairDStream<K, V> reduceByKeyAndWindow(
      BinaryOperator<V> f, Duration windowLength, Duration slideInterval) {
    return reduceByKeyAndWindow(f, windowLength, slideInterval, ssc.defaultParallelism());
  }

  /** {@link #reduceByKeyAndWindow(BinaryOperator, Duration, Duration)} into n partitions. */
  public PairDStream<K, V> reduceByKeyAndWindow(
      BinaryOperator<V> f, Duration windowLength, Duration slideInterval, int numPartitions) {
    Objects.requireNonNull(f, "f");
    Windows.validate("reduceByKeyAndWindow", node, windowLength, slideInterval);
    return reduceByKey(f, numPartitions)
        .window(windowLength, slideInterval)
        .reduceByKey(f, numPartitions);
  }

  /**
   * The incremental windowed reduce: each window is the previous one with the batches that left
   * removed by {@code invF} and those that entered added by {@code f}, so its cost per slide
   * depends on the data entering and leaving, not on the window's length. {@code invF} must undo
   * {@code f}: {@code invF(f(a, b), b) == a}.
   *
   * <p>A key is dropped as soon as none of the window's batches holds it, so the result equals
   * {@link #reduceByKeyAndWindow(BinaryOperator, Duration, Duration)} on the same input.
   */
  public PairDStream<K, V> reduceByKeyAndWindow(
      BinaryOperator<V> f, BinaryOperator<V> invF, Duration windowLength, Duration slideInterval) {
    return reduceByKeyAndWindow(
        f, invF, windowLength, slideInterval, ssc.defaultParallelism(), null);
  }

  /**
   * {@link #reduceByKeyAndWindow(BinaryOperator, BinaryOperator, Duration, Duration)} into {@code
   * numPartitions} partitions, showing only the pairs {@code filter} accepts (null for all). The
   * filter affects the output only; the window keeps exact values for every key.
   */
  public PairDStream<K, V> reduceByKeyAndWindow(
      BinaryOperator<V> f,
      BinaryOperator<V> invF,
      Duration windowLength,
      Duration slideInterval,
      int numPartitions,
      Predicate<? super Pair<K, V>> filter) {
    Objects.requireNonNull(f, "f");
    Objects.requireNonNull(invF, "invF");
    Windows.validate("reduceByKeyAndWindow", node, windowLength, slideInterval);
    StreamNode<Pair<K, V>> perBatch = reducedPerBatch("reduceByKeyAndWindow", f, numPartitions);
    return new PairDStream<>(
        ssc,
        new WindowReduceNode<>(
            perBatch,
            windowLength,
            slideInterval,
            f,
            invF,
            filter,
            new HashPartitioner(numPartitions)));
  }
}
