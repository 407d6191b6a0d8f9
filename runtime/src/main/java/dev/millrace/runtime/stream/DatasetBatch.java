package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.AggregateDataset;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Pipe;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.dataset.UnionDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Batch;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The engine's {@link Batch}: one batch's dataset, its time, and the runner that computes it when
 * user code asks for records. Transformations wrap the dataset lazily, so they fuse with the
 * stream's own record-at-a-time operations.
 *
 * @param <T> record type
 */
public class DatasetBatch<T> implements Batch<T> {
  final Dataset<T> data;
  final long time;
  final TaskRunner runner;

  /** The batch of {@code time} holding {@code data}, computed on {@code runner}. */
  public DatasetBatch(Dataset<T> data, long time, TaskRunner runner) {
    this.data = data;
    this.time = time;
    this.runner = runner;
  }

  /** {@code batch}'s dataset: a batch made by the engine, as every batch user code holds is. */
  public static <T> Dataset<T> datasetOf(Batch<T> batch, String operation, long time) {
    if (batch == null) {
      throw new IllegalStateException(
          "the function given to "
              + operation
              + "() returned null for batch "
              + time
              + "; return a batch, e.g. batch.filter(x -> false) for an empty one");
    }
    if (batch instanceof DatasetBatch<T> b) {
      return b.data;
    }
    throw new IllegalStateException(
        "the function given to "
            + operation
            + "() returned a "
            + batch.getClass().getName()
            + " for batch "
            + time
            + "; return the batch it was given or one made from it by its operations");
  }

  @Override
  public long time() {
    return time;
  }

  @Override
  public List<T> collect() {
    return runner.collect(data);
  }

  @Override
  public long count() {
    return runner.count(data);
  }

  @Override
  public boolean isEmpty() {
    return take(1).isEmpty();
  }

  @Override
  public List<T> take(int n) {
    runner.prepare(List.of(data));
    List<T> out = new ArrayList<>(Math.max(0, Math.min(n, 1024)));
    for (int p = 0; p < data.numPartitions() && out.size() < n; p++) {
      List<T> part = data.collectPartition(p);
      out.addAll(part.subList(0, Math.min(part.size(), n - out.size())));
    }
    return out;
  }

  @Override
  public int numPartitions() {
    return data.numPartitions();
  }

  @Override
  public <U> Batch<U> map(Function<? super T, ? extends U> f) {
    return new DatasetBatch<>(new PipeDataset<>(data, Pipe.map(f)), time, runner);
  }

  @Override
  public <U> Batch<U> flatMap(Function<? super T, ? extends Iterable<? extends U>> f) {
    return new DatasetBatch<>(new PipeDataset<>(data, Pipe.flatMap(f)), time, runner);
  }

  @Override
  public <U> Batch<U> mapMulti(BiConsumer<? super T, Consumer<U>> f) {
    return new DatasetBatch<>(new PipeDataset<>(data, Pipe.mapMulti(f)), time, runner);
  }

  @Override
  public Batch<T> filter(Predicate<? super T> p) {
    return new DatasetBatch<>(new PipeDataset<>(data, Pipe.filter(p)), time, runner);
  }

  @Override
  public <K, V> PairBatch<K, V> mapToPair(Function<? super T, Pair<K, V>> f) {
    return new DatasetPairBatch<>(new PipeDataset<>(data, Pipe.map(f)), time, runner);
  }

  @Override
  public Batch<T> union(Batch<T> other) {
    Objects.requireNonNull(other, "other");
    return new DatasetBatch<>(
        new UnionDataset<T>(List.of(data, datasetOf(other, "union", time))), time, runner);
  }

  @Override
  public Optional<T> reduce(BinaryOperator<T> f) {
    List<T> r = runner.collect(AggregateDataset.reducing(data, f));
    return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
  }

  @Override
  public String toString() {
    return "Batch[time=" + time + ", partitions=" + data.numPartitions() + "]";
  }
}
