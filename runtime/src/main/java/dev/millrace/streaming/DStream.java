package dev.millrace.streaming;

import dev.millrace.runtime.OutputDefinition;
import dev.millrace.runtime.StreamDefinition;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * A discretized stream: a sequence of batches of records, one per slide interval. Transformations
 * return new streams and compute nothing until the context is started; output operations ({@link
 * #print()}, {@link #foreachBatch}, {@link #saveAsTextFiles}) make batches happen.
 *
 * <p>Functions passed to any operation are plain Java functional interfaces; they need not be
 * serializable. Consecutive record-at-a-time operations (map, flatMap, filter, mapToPair, …) run
 * fused in one pass over each partition.
 *
 * @param <T> record type
 */
public class DStream<T> {
  final StreamingContext ssc;
  final StreamDefinition definition;

  DStream(StreamingContext ssc, StreamDefinition definition) {
    this.ssc = ssc;
    this.definition = definition;
  }

  /** Records the stream {@code define} makes from its number in {@code ssc}'s description. */
  <D extends StreamDefinition> D define(IntFunction<D> define) {
    return ssc.description().define(define);
  }

  /** Whether this stream's batches are batches of pairs. */
  boolean pairs() {
    return false;
  }

  /** The context this stream belongs to. */
  public StreamingContext context() {
    return ssc;
  }

  /** The interval between this stream's batches: the batch interval, or a window's slide. */
  public Duration slideDuration() {
    return definition.slide();
  }

  // ---------------------------------------------------------------- record-at-a-time

  /** {@code f} applied to every record. */
  public <U> DStream<U> map(Function<? super T, ? extends U> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, define(id -> new StreamDefinition.Map<>(id, "map", definition, f)));
  }

  /** Every element of {@code f} applied to every record: zero or more records per record. */
  public <U> DStream<U> flatMap(Function<? super T, ? extends Iterable<? extends U>> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, define(id -> new StreamDefinition.FlatMap<>(id, definition, f)));
  }

  /**
   * Like {@link #flatMap}, but {@code f} hands each output record to a consumer instead of
   * returning a collection: no allocation per input record beyond what {@code f} makes.
   */
  public <U> DStream<U> mapMulti(BiConsumer<? super T, Consumer<U>> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, define(id -> new StreamDefinition.MapMulti<>(id, definition, f)));
  }

  /** The records {@code p} accepts. */
  public DStream<T> filter(Predicate<? super T> p) {
    Objects.requireNonNull(p, "p");
    return new DStream<>(ssc, filtered(p));
  }

  /** Every record turned into a key-value pair, for keyed operations. */
  public <K, V> PairDStream<K, V> mapToPair(Function<? super T, Pair<K, V>> f) {
    Objects.requireNonNull(f, "f");
    return new PairDStream<>(
        ssc, define(id -> new StreamDefinition.Map<>(id, "mapToPair", definition, f)));
  }

  StreamDefinition filtered(Predicate<? super T> p) {
    return define(id -> new StreamDefinition.Filter<>(id, definition, p));
  }

  // ---------------------------------------------------------------- whole-batch

  /** The same records spread evenly over {@code numPartitions} partitions. */
  public DStream<T> repartition(int numPartitions) {
    requirePartitions("repartition", numPartitions);
    return new DStream<>(
        ssc, define(id -> new StreamDefinition.Repartition(id, definition, numPartitions)));
  }

  /** The records of this stream and {@code other}, which must have the same slide, per batch. */
  public DStream<T> union(DStream<T> other) {
    return new DStream<>(ssc, unionWith(other));
  }

  StreamDefinition unionWith(DStream<T> other) {
    Objects.requireNonNull(other, "other");
    if (other.ssc != ssc) {
      throw new ConfigurationException("union(): the other stream belongs to another context");
    }
    return define(id -> new StreamDefinition.Union(id, List.of(definition, other.definition)));
  }

  /** A stream with one record per batch: the number of records in the batch (0 if empty). */
  public DStream<Long> count() {
    return new DStream<>(ssc, define(id -> new StreamDefinition.Count(id, definition)));
  }

  /**
   * A stream with one record per non-empty batch: all records reduced with {@code f}, which must be
   * associative (partitions are reduced in parallel).
   */
  public DStream<T> reduce(BinaryOperator<T> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, define(id -> new StreamDefinition.Reduce<>(id, definition, f)));
  }

  /** For each distinct record, how often it occurs in the batch. */
  public PairDStream<T, Long> countByValue() {
    return countByValue(ssc.defaultParallelism());
  }

  /** {@link #countByValue()} into {@code numPartitions} partitions. */
  public PairDStream<T, Long> countByValue(int numPartitions) {
    return this.<T, Long>mapToPair(x -> Pair.of(x, 1L)).reduceByKey(Long::sum, numPartitions);
  }

  /**
   * Each batch replaced by {@code f} of it: any batch-to-batch function, e.g. joining with a static
   * dataset. {@code f} runs on the driver once per batch.
   */
  public <U> DStream<U> transform(Function<Batch<T>, Batch<U>> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, transformed(f, pairs()));
  }

  /** {@link #transform} for functions that return a batch of pairs. */
  public <K, V> PairDStream<K, V> transformToPair(Function<Batch<T>, PairBatch<K, V>> f) {
    Objects.requireNonNull(f, "f");
    return new PairDStream<>(ssc, transformed(f::apply, pairs()));
  }

  <B extends Batch<T>, U> StreamDefinition transformed(
      Function<B, ? extends Batch<U>> f, boolean pairs) {
    @SuppressWarnings("unchecked")
    Function<Batch<T>, ? extends Batch<U>> onBatch = (Function<Batch<T>, ? extends Batch<U>>) f;
    return define(id -> new StreamDefinition.Transform<>(id, definition, onBatch, pairs));
  }

  // ---------------------------------------------------------------- windows

  /**
   * Every {@code slideInterval}, the records of the last {@code windowLength}. Both must be
   * multiples of this stream's slide; early windows hold the batches that exist so far.
   */
  public DStream<T> window(Duration windowLength, Duration slideInterval) {
    return new DStream<>(ssc, windowed("window", windowLength, slideInterval));
  }

  /** A window of {@code windowLength} sliding every batch. */
  public DStream<T> window(Duration windowLength) {
    return window(windowLength, slideDuration());
  }

  StreamDefinition windowed(String operation, Duration windowLength, Duration slideInterval) {
    Objects.requireNonNull(windowLength, "windowLength");
    Objects.requireNonNull(slideInterval, "slideInterval");
    return define(
        id -> new StreamDefinition.Window(id, operation, definition, windowLength, slideInterval));
  }

  /** Every {@code slideInterval}, the number of records in the last {@code windowLength}. */
  public DStream<Long> countByWindow(Duration windowLength, Duration slideInterval) {
    StreamDefinition.requireWindow("countByWindow", definition, windowLength, slideInterval);
    return count().reduceByWindow(Long::sum, windowLength, slideInterval);
  }

  /**
   * Every {@code slideInterval}, the records of the last {@code windowLength} reduced with the
   * associative {@code f}: each batch is reduced once, then the window's partial results.
   */
  public DStream<T> reduceByWindow(
      BinaryOperator<T> f, Duration windowLength, Duration slideInterval) {
    StreamDefinition.requireWindow("reduceByWindow", definition, windowLength, slideInterval);
    return reduce(f).window(windowLength, slideInterval).reduce(f);
  }

  /**
   * Every {@code slideInterval}, how often each distinct record occurs in the last {@code
   * windowLength}, computed incrementally.
   */
  public PairDStream<T, Long> countByValueAndWindow(Duration windowLength, Duration slideInterval) {
    return countByValueAndWindow(windowLength, slideInterval, ssc.defaultParallelism());
  }

  /** {@link #countByValueAndWindow(Duration, Duration)} into {@code numPartitions} partitions. */
  public PairDStream<T, Long> countByValueAndWindow(
      Duration windowLength, Duration slideInterval, int numPartitions) {
    StreamDefinition.requireWindow(
        "countByValueAndWindow", definition, windowLength, slideInterval);
    return this.<T, Long>mapToPair(x -> Pair.of(x, 1L))
        .reduceByKeyAndWindow(
            Long::sum, (a, b) -> a - b, windowLength, slideInterval, numPartitions, null);
  }

  // ---------------------------------------------------------------- output operations

  /** Prints the first ten records of every batch under a {@code Time: … ms} header. */
  public void print() {
    print(10);
  }

  /** Prints the first {@code num} records of every batch, and {@code ...} if there are more. */
  public void print(int num) {
    output(new OutputDefinition.Print(definition, num));
  }

  /**
   * Calls {@code f} with every batch, on the driver, in batch order: the general output operation.
   * Make its effects idempotent per {@link Batch#time()}: after a failure a batch may be processed
   * again.
   */
  public void foreachBatch(Consumer<Batch<T>> f) {
    output(new OutputDefinition.ForeachBatch<>(definition, f, pairs()));
  }

  /**
   * Writes every batch as text to the directory {@code prefix-TIME_IN_MS[.suffix]}, one {@code
   * part-NNNNN} file per partition and a {@code _SUCCESS} marker. Each batch appears atomically,
   * and writing a batch again replaces it with the same content. {@code prefix} is a local path or
   * a URI of any Hadoop file system, such as {@code hdfs://namenode:8020/out/counts}, opened as
   * {@link StreamingContext#textFileStream} opens its directory.
   *
   * @param suffix appended after a dot; null or empty for none
   */
  public void saveAsTextFiles(String prefix, String suffix) {
    output(new OutputDefinition.SaveAsTextFiles(definition, prefix, suffix, ssc.conf()));
  }

  /** {@link #saveAsTextFiles(String, String)} without a suffix. */
  public void saveAsTextFiles(String prefix) {
    saveAsTextFiles(prefix, null);
  }

  private void output(OutputDefinition output) {
    ssc.description().output(output);
  }

  // ---------------------------------------------------------------- storage

  /** Keeps each batch in memory once computed, for streams read by several operations. */
  public DStream<T> persist() {
    ssc.description().persist(definition);
    return this;
  }

  /**
   * Sets how often this stream's state is written to the checkpoint directory (stateful streams
   * only; default ten batch intervals). Must be a multiple of the stream's slide.
   */
  public DStream<T> checkpoint(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    ssc.description().assertDefinable("checkpoint");
    if (!interval.isMultipleOf(slideDuration())) {
      throw new ConfigurationException(
          "checkpoint("
              + interval
              + "): the interval must be a positive multiple of the stream's"
              + " slide "
              + slideDuration());
    }
    ssc.description().checkpointInterval(definition, interval);
    return this;
  }

  static void requirePartitions(String operation, int numPartitions) {
    if (numPartitions < 1) {
      throw new ConfigurationException(
          operation + "(numPartitions): numPartitions must be at least 1, got " + numPartitions);
    }
  }

  @Override
  public String toString() {
    return "DStream[" + definition.name() + ", slide " + definition.slide() + "]";
  }
}
