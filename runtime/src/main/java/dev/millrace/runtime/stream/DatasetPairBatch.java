package dev.millrace.runtime.stream;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Pipe;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairBatch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The engine's {@link PairBatch}: a {@link DatasetBatch} of pairs with the keyed operations.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class DatasetPairBatch<K, V> extends DatasetBatch<Pair<K, V>>
    implements PairBatch<K, V> {

  /** The batch of pairs of {@code time} holding {@code data}, computed on {@code runner}. */
  public DatasetPairBatch(Dataset<Pair<K, V>> data, long time, TaskRunner runner) {
    super(data, time, runner);
  }

  @Override
  public PairBatch<K, V> filter(Predicate<? super Pair<K, V>> p) {
    return new DatasetPairBatch<>(new PipeDataset<>(data, Pipe.filter(p)), time, runner);
  }

  @Override
  public <U> PairBatch<K, U> mapValues(Function<? super V, ? extends U> f) {
    return new DatasetPairBatch<>(
        new PipeDataset<>(data, Pipe.map(p -> Pair.<K, U>of(p.key(), f.apply(p.value())))),
        time,
        runner);
  }

  @Override
  public PairBatch<K, V> reduceByKey(BinaryOperator<V> f) {
    return new DatasetPairBatch<>(
        new ShuffleDataset<>(
            data, Aggregator.reducing(f), new HashPartitioner(runner.parallelism())),
        time,
        runner);
  }

  @Override
  public <W> PairBatch<K, Pair<V, W>> join(Map<K, W> other) {
    Objects.requireNonNull(other, "other");
    return new DatasetPairBatch<>(
        new PipeDataset<>(
            data,
            Pipe.<Pair<K, V>, Pair<K, Pair<V, W>>>mapMulti(
                (p, out) -> {
                  W w = other.get(p.key());
                  if (w != null || other.containsKey(p.key())) {
                    out.accept(Pair.of(p.key(), Pair.of(p.value(), w)));
                  }
                })),
        time,
        runner);
  }

  @Override
  public <W> PairBatch<K, Pair<V, Optional<W>>> leftOuterJoin(Map<K, W> other) {
    Objects.requireNonNull(other, "other");
    return new DatasetPairBatch<>(
        new PipeDataset<>(
            data,
            Pipe.map(
                p ->
                    Pair.of(p.key(), Pair.of(p.value(), Optional.ofNullable(other.get(p.key())))))),
        time,
        runner);
  }

  @Override
  public Map<K, V> collectAsMap() {
    List<Pair<K, V>> all = collect();
    Map<K, V> map = new LinkedHashMap<>(Math.max(16, all.size() * 4 / 3));
    for (Pair<K, V> p : all) {
      map.put(p.key(), p.value());
    }
    return map;
  }
}
