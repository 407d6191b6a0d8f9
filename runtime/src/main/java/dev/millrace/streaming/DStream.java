package dev.millrace.streaming;

import dev.millrace.runtime.dataset.AggregateDataset;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Pipe;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.shuffle.RepartitionDataset;
import dev.millrace.runtime.stream.MappedNode;
import dev.millrace.runtime.stream.OutputOperation;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.stream.UnionNode;
import dev.millrace.runtime.stream.WindowNode;
import dev.millrace.runtime.stream.Windows;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
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
  final StreamNode<T> node;

  DStream(StreamingContext ssc, StreamNode<T> node) {
    this.ssc = ssc;
    this.node = node;
  }

  /** The context this stream belongs to. */
  public StreamingContext context() {
    return ssc;
  }

  /** The interval between this stream's batches: the batch interval, or a window's slide. */
  public Duration slideDuration() {
    return node.slide();
  }

  // ---------------------------------------------------------------- record-at-a-time

  /** {@code f} applied to every record. */
  public <U> DStream<U> map(Function<? super T, ? extends U> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, narrow("map", Pipe.map(f)));
  }

  /** Every element of {@code f} applied to every record: zero or more records per record. */
  public <U> DStream<U> flatMap(Function<? super T, ? extends Iterable<? extends U>> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, narrow("flatMap", Pipe.flatMap(f)));
  }

  /**
   * Like {@link #flatMap}, but {@code f} hands each output record to a consumer instead of
   * returning a collection: no allocation per input record beyond what {@code f} makes.
   */
  public <U> DStream<U> mapMulti(BiConsumer<? super T, Consumer<U>> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(ssc, narrow("mapMulti", Pipe.mapMulti(f)));
  }

  /** The records {@code p} accepts. */
  public DStream<T> filter(Predicate<? super T> p) {
    Objects.requireNonNull(p, "p");
    return new DStream<>(ssc, narrow("filter", Pipe.filter(p)));
  }

  /** Every record turned into a key-value pair, for keyed operations. */
  public <K, V> PairDStream<K, V> mapToPair(Function<? super T, Pair<K, V>> f) {
    Objects.requireNonNull(f, "f");
    return new PairDStream<>(ssc, narrow("mapToPair", Pipe.map(f)));
  }

  <U> StreamNode<U> narrow(String operation, Pipe<T, U> pipe) {
    return new MappedNode<>(node, operation, (ds, t) -> new PipeDataset<>(ds, pipe));
  }

  // ---------------------------------------------------------------- whole-batch

  /** The same records spread evenly over {@code numPartitions} partitions. */
  public DStream<T> repartition(int numPartitions) {
    requirePartitions("repartition", numPartitions);
    return new DStream<>(
        ssc,
        new MappedNode<T, T>(
            node, "repartition", (ds, t) -> new RepartitionDataset<>(ds, numPartitions)));
  }

  /** The records of this stream and {@code other}, which must have the same slide, per batch. */
  public DStream<T> union(DStream<T> other) {
    return new DStream<>(ssc, unionNode(other));
  }

  StreamNode<T> unionNode(DStream<T> other) {
    Objects.requireNonNull(other, "other");
    if (other.ssc != ssc) {
      throw new ConfigurationException("union(): the other stream belongs to another context");
    }
    return new UnionNode<>(List.of(node, other.node));
  }

  /** A stream with one record per batch: the number of records in the batch (0 if empty). */
  public DStream<Long> count() {
    return new DStream<>(
        ssc, new MappedNode<T, Long>(node, "count", (ds, t) -> AggregateDataset.counting(ds)));
  }

  /**
   * A stream with one record per non-empty batch: all records reduced with {@code f}, which must be
   * associative (partitions are reduced in parallel).
   */
  public DStream<T> reduce(BinaryOperator<T> f) {
    Objects.requireNonNull(f, "f");
    return new DStream<>(
        ssc, new MappedNode<T, T>(node, "reduce", (ds, t) -> AggregateDataset.reducing(ds, f)));
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
    return new DStream<>(ssc, transformNode(f));
  }

  /** {@link #transform} for functions that return a batch of pairs. */
  public <K, V> PairDStream<K, V> transformToPair(Function<Batch<T>, PairBatch<K, V>> f) {
    Objects.requireNonNull(f, "f");
    return new PairDStream<>(ssc, transformNode(f::apply));
  }

  <U> StreamNode<U> transformNode(Function<Batch<T>, ? extends Batch<U>> f) {
    return new MappedNode<T, U>(
        node,
        "transform",
        (ds, t) -> {
          Batch<U> out = f.apply(batchOf(ds, t));
          if (out == null) {
            throw new IllegalStateException(
                "the function given to transform() returned null for batch "
                    + t
                    + "; return a batch, e.g. batch.filter(x -> false) for an empty one");
          }
          return out.data;
        });
  }

  Batch<T> batchOf(Dataset<T> ds, long time) {
    return new Batch<>(ds, time, ssc.runner());
  }

  // ---------------------------------------------------------------- windows

  /**
   * Every {@code slideInterval}, the records of the last {@code windowLength}. Both must be
   * multiples of this stream's slide; early windows hold the batches that exist so far.
   */
  public DStream<T> window(Duration windowLength, Duration slideInterval) {
    return new DStream<>(ssc, windowNode("window", windowLength, slideInterval));
  }

  /** A window of {@code windowLength} sliding every batch. */
  public DStream<T> window(Duration windowLength) {
    return window(windowLength, slideDuration());
  }

  StreamNode<T> windowNode(String operation, Duration windowLength, Duration slideInterval) {
    Objects.requireNonNull(windowLength, "windowLength");
    Objects.requireNonNull(slideInterval, "slideInterval");
    return new WindowNode<>(node, operation, windowLength, slideInterval);
  }

  /** Every {@code slideInterval}, the number of records in the last {@code windowLength}. */
  public DStream<Long> countByWindow(Duration windowLength, Duration slideInterval) {
    Windows.validate("countByWindow", node, windowLength, slideInterval);
    return count().reduceByWindow(Long::sum, windowLength, slideInterval);
  }

  /**
   * Every {@code slideInterval}, the records of the last {@code windowLength} reduced with the
   * associative {@code f}: each batch is reduced once, then the window's partial results.
   */
  public DStream<T> reduceByWindow(
      BinaryOperator<T> f, Duration windowLength, Duration slideInterval) {
    Windows.validate("reduceByWindow", node, windowLength, slideInterval);
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
    Windows.validate("countByValueAndWindow", node, windowLength, slideInterval);
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
    if (num < 1) {
      throw new ConfigurationException("print(num): num must be at least 1, got " + num);
    }
    PrintStream out = ssc.console();
    output(
        "print",
        (ds, time) -> {
          List<T> first = batchOf(ds, time).take(num + 1);
          StringBuilder sb = new StringBuilder();
          sb.append("-------------------------------------------\n");
          sb.append("Time: ").append(time).append(" ms\n");
          sb.append("-------------------------------------------\n");
          for (int i = 0; i < Math.min(num, first.size()); i++) {
            sb.append(first.get(i)).append('\n');
          }
          if (first.size() > num) {
            sb.append("...\n");
          }
          sb.append('\n');
          out.print(sb);
          out.flush();
        });
  }

  /**
   * Calls {@code f} with every batch, on the driver, in batch order: the general output operation.
   * Make its effects idempotent per {@link Batch#time()}: after a failure a batch may be processed
   * again.
   */
  public void foreachBatch(Consumer<Batch<T>> f) {
    Objects.requireNonNull(f, "f");
    output("foreachBatch", (ds, time) -> f.accept(batchOf(ds, time)));
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
    Objects.requireNonNull(prefix, "prefix");
    dev.millrace.runtime.sink.TextFileBatchWriter writer =
        new dev.millrace.runtime.sink.TextFileBatchWriter(
            prefix,
            suffix,
            dev.millrace.runtime.config.StreamingOptions.hadoopConfiguration(ssc.conf()));
    output("saveAsTextFiles", (ds, time) -> writer.write(ds, time, ssc.runner()));
  }

  /** {@link #saveAsTextFiles(String, String)} without a suffix. */
  public void saveAsTextFiles(String prefix) {
    saveAsTextFiles(prefix, null);
  }

  private void output(String name, OutputOperation.BatchAction<T> action) {
    ssc.graph().addOutput(new OutputOperation<>(name, node, action));
  }

  // ---------------------------------------------------------------- storage

  /** Keeps each batch in memory once computed, for streams read by several operations. */
  public DStream<T> persist() {
    ssc.graph().assertDefinable("persist");
    node.persist();
    return this;
  }

  /**
   * Sets how often this stream's state is written to the checkpoint directory (stateful streams
   * only; default ten batch intervals). Must be a multiple of the stream's slide.
   */
  public DStream<T> checkpoint(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    ssc.graph().assertDefinable("checkpoint");
    if (!interval.isMultipleOf(slideDuration())) {
      throw new ConfigurationException(
          "checkpoint("
              + interval
              + "): the interval must be a positive multiple of the stream's"
              + " slide "
              + slideDuration());
    }
    node.checkpointInterval(interval);
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
    return "DStream[" + node.name() + ", slide " + node.slide() + "]";
  }
}
