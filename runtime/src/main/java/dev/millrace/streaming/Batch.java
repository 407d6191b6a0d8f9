package dev.millrace.streaming;

import dev.millrace.runtime.dataset.AggregateDataset;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Pipe;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.dataset.UnionDataset;
import dev.millrace.runtime.task.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One batch of one stream: what {@link DStream#foreachBatch} and {@link DStream#transform} hand to
 * user code. Transformations are lazy and fuse with the stream's own; {@link #collect()}, {@link
 * #count()} and {@link #take(int)} compute.
 *
 * @param <T> record type
 */
public class Batch<T> {
  final Dataset<T> data;
  final long time;
  final TaskRunner runner;

  Batch(Dataset<T> data, long time, TaskRunner runner) {
    this.data = data;
    this.time = time;
    this.runner = runner;
  }

  /** The batch time in epoch milliseconds. */
  public long time() {
    return time;
  }

  /** Every record of the batch, in partition order. */
  public List<T> collect() {
    return runner.collect(data);
  }

  /** The number of records. */
  public long count() {
    return runner.count(data);
  }

  /** Whether the batch has no record. */
  public boolean isEmpty() {
    return take(1).isEmpty();
  }

  /** The first {@code n} records in partition order; fewer if the batch is smaller. */
  public List<T> take(int n) {
    runner.prepare(List.of(data));
    List<T> out = new ArrayList<>(Math.max(0, Math.min(n, 1024)));
    for (int p = 0; p < data.numPartitions() && out.size() < n; p++) {
      List<T> part = data.collectPartition(p);
      out.addAll(part.subList(0, Math.min(part.size(), n - out.size())));
    }
    return out;
  }

  /** The number of partitions the batch's records are split into. */
  public int numPartitions() {
    return data.numPartitions();
  }

  /** {@code f} applied to every record. */
  public <U> Batch<U> map(Function<? super T, ? extends U> f) {
    return new Batch<>(new PipeDataset<>(data, Pipe.map(f)), time, runner);
  }

  /** Every element of {@code f} applied to every record. */
  public <U> Batch<U> flatMap(Function<? super T, ? extends Iterable<? extends U>> f) {
    return new Batch<>(new PipeDataset<>(data, Pipe.flatMap(f)), time, runner);
  }

  /** Whatever {@code f} emits for each record, without building a collection per record. */
  public <U> Batch<U> mapMulti(BiConsumer<? super T, Consumer<U>> f) {
    return new Batch<>(new PipeDataset<>(data, Pipe.mapMulti(f)), time, runner);
  }

  /** The records {@code p} accepts. */
  public Batch<T> filter(Predicate<? super T> p) {
    return new Batch<>(new PipeDataset<>(data, Pipe.filter(p)), time, runner);
  }

  /** Every record turned into a key-value pair. */
  public <K, V> PairBatch<K, V> mapToPair(Function<? super T, Pair<K, V>> f) {
    return new PairBatch<>(new PipeDataset<>(data, Pipe.map(f)), time, runner);
  }

  /** The records of this batch and then those of {@code other}. */
  public Batch<T> union(Batch<T> other) {
    Objects.requireNonNull(other, "other");
    return new Batch<>(new UnionDataset<T>(List.of(data, other.data)), time, runner);
  }

  /** The reduction of all records with {@code f}, or empty if the batch has none. */
  public java.util.Optional<T> reduce(BinaryOperator<T> f) {
    List<T> r = runner.collect(AggregateDataset.reducing(data, f));
    return r.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(r.get(0));
  }

  @Override
  public String toString() {
    return "Batch[time=" + time + ", partitions=" + data.numPartitions() + "]";
  }
}
