package dev.millrace.streaming;

import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.dataset.Pipe;
import dev.millrace.runtime.dataset.PipeDataset;
import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.task.TaskRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A batch of key-value pairs, with the keyed operations a {@code transform} needs: joining the
 * batch with a static dataset (a {@link Map} held in memory), reducing by key, collecting as a map.
 *
 * <pre>{@code
 * Map<String, Double> spamScores = loadSpamScores();
 * PairDStream<String, Integer> cleaned = wordCounts.transformPairs(batch ->
 *     batch.join(spamScores)
 *         .filter(p -> p.value().value() < 0.5)
 *         .mapValues(Pair::key));
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class PairBatch<K, V> extends Batch<Pair<K, V>> {

  PairBatch(Dataset<Pair<K, V>> data, long time, TaskRunner runner) {
    super(data, time, runner);
  }

  /** {@code batch} seen as a batch of pairs. */
  public static <K, V> PairBatch<K, V> of(Batch<Pair<K, V>> batch) {
    return batch instanceof PairBatch<K, V> p
        ? p
        : new PairBatch<>(batch.data, batch.time, batch.runner);
  }

  /** The pairs {@code p} accepts. */
  @Override
  public PairBatch<K, V> filter(Predicate<? super Pair<K, V>> p) {
    return new PairBatch<>(new PipeDataset<>(data, Pipe.filter(p)), time, runner);
  }

  /** Each value transformed by {@code f}, keys unchanged. */
  public <U> PairBatch<K, U> mapValues(Function<? super V, ? extends U> f) {
    return new PairBatch<>(
        new PipeDataset<>(data, Pipe.map(p -> Pair.<K, U>of(p.key(), f.apply(p.value())))),
        time,
        runner);
  }

  /** The values of each key reduced with {@code f}, in the default number of partitions. */
  public PairBatch<K, V> reduceByKey(BinaryOperator<V> f) {
    return new PairBatch<>(
        new ShuffleDataset<>(
            data, Aggregator.reducing(f), new HashPartitioner(runner.parallelism())),
        time,
        runner);
  }

  /**
   * For each pair whose key is in {@code other}, the pair {@code (key, (value, other.get(key)))}. A
   * map join: no shuffle, {@code other} is read by every task.
   */
  public <W> PairBatch<K, Pair<V, W>> join(Map<K, W> other) {
    Objects.requireNonNull(other, "other");
    return new PairBatch<>(
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

  /**
   * For every pair, {@code (key, (value, Optional.ofNullable(other.get(key))))}: keys missing from
   * {@code other} are kept with an empty optional.
   */
  public <W> PairBatch<K, Pair<V, Optional<W>>> leftOuterJoin(Map<K, W> other) {
    Objects.requireNonNull(other, "other");
    return new PairBatch<>(
        new PipeDataset<>(
            data,
            Pipe.map(
                p ->
                    Pair.of(p.key(), Pair.of(p.value(), Optional.ofNullable(other.get(p.key())))))),
        time,
        runner);
  }

  /** The pairs as a map; a key that occurs more than once keeps its last value. */
  public Map<K, V> collectAsMap() {
    List<Pair<K, V>> all = collect();
    Map<K, V> map = new LinkedHashMap<>(Math.max(16, all.size() * 4 / 3));
    for (Pair<K, V> p : all) {
      map.put(p.key(), p.value());
    }
    return map;
  }
}
