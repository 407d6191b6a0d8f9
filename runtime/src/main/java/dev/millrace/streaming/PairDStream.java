package dev.millrace.streaming;

import dev.millrace.runtime.StreamDefinition;
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

  PairDStream(StreamingContext ssc, StreamDefinition definition) {
    super(ssc, definition);
  }

  @Override
  boolean pairs() {
    return true;
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

  private StreamDefinition reducedPerBatch(
      String operation, BinaryOperator<V> f, int numPartitions) {
    requirePartitions(operation, numPartitions);
    return define(
        id -> new StreamDefinition.ReduceByKey<K, V>(id, operation, definition, f, numPartitions));
  }

  /** All values of each key in a batch, in arrival order. */
  public PairDStream<K, List<V>> groupByKey() {
    return groupByKey(ssc.defaultParallelism());
  }

  /** {@link #groupByKey()} into {@code numPartitions} partitions. */
  public PairDStream<K, List<V>> groupByKey(int numPartitions) {
    requirePartitions("groupByKey", numPartitions);
    return new PairDStream<>(
        ssc, define(id -> new StreamDefinition.GroupByKey(id, definition, numPartitions)));
  }

  /** Each value transformed by {@code f}; keys and partitioning unchanged. */
  public <U> PairDStream<K, U> mapValues(Function<? super V, ? extends U> f) {
    Objects.requireNonNull(f, "f");
    Function<Pair<K, V>, Pair<K, U>> onPair = p -> Pair.of(p.key(), f.apply(p.value()));
    return new PairDStream<>(
        ssc, define(id -> new StreamDefinition.Map<>(id, "mapValues", definition, onPair)));
  }

  /** The pairs {@code p} accepts. */
  @Override
  public PairDStream<K, V> filter(Predicate<? super Pair<K, V>> p) {
    Objects.requireNonNull(p, "p");
    return new PairDStream<>(ssc, filtered(p));
  }

  /** The pairs of this stream and {@code other}, per batch. */
  public PairDStream<K, V> union(PairDStream<K, V> other) {
    return new PairDStream<>(ssc, unionWith(other));
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
    return new PairDStream<>(ssc, this.<PairBatch<K, V>, Pair<K2, V2>>transformed(f, true));
  }

  /** A stream of pairs seen as a {@code PairDStream}. */
  public static <K, V> PairDStream<K, V> of(DStream<Pair<K, V>> stream) {
    return stream instanceof PairDStream<K, V> p
        ? p
        : new PairDStream<>(stream.ssc, stream.definition);
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

  private <W, R> PairDStream<K, R> cogrouped(
      String operation,
      PairDStream<K, W> other,
      int numPartitions,
      StreamDefinition.GroupEmitter<K, V, W, R> e) {
    Objects.requireNonNull(other, "other");
    requirePartitions(operation, numPartitions);
    if (other.ssc != ssc) {
      throw new ConfigurationException(
          operation + "(): the streams belong to different streaming contexts");
    }
    return new PairDStream<>(
        ssc,
        define(
            id ->
                new StreamDefinition.CoGroup<>(
                    id, operation, definition, other.definition, numPartitions, e)));
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
    return new PairDStream<>(
        ssc,
        define(id -> new StreamDefinition.UpdateState<>(id, definition, update, numPartitions)));
  }

  // ---------------------------------------------------------------- windows

  /** Every {@code slideInterval}, the pairs of the last {@code windowLength}. */
  @Override
  public PairDStream<K, V> window(Duration windowLength, Duration slideInterval) {
    return new PairDStream<>(ssc, windowed("window", windowLength, slideInterval));
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
    StreamDefinition.requireWindow("reduceByKeyAndWindow", definition, windowLength, slideInterval);
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
    StreamDefinition.requireWindow("reduceByKeyAndWindow", definition, windowLength, slideInterval);
    StreamDefinition perBatch = reducedPerBatch("reduceByKeyAndWindow", f, numPartitions);
    return new PairDStream<>(
        ssc,
        define(
            id ->
                new StreamDefinition.WindowReduce<K, V>(
                    id, perBatch, windowLength, slideInterval, f, invF, filter, numPartitions)));
  }
}
