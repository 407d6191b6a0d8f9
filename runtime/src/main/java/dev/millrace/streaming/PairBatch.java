package dev.millrace.streaming;

import java.util.Map;
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
public interface PairBatch<K, V> extends Batch<Pair<K, V>> {

  /** {@code batch} seen as a batch of pairs. */
  static <K, V> PairBatch<K, V> of(Batch<Pair<K, V>> batch) {
    return batch instanceof PairBatch<K, V> p ? p : batch.mapToPair(Function.identity());
  }

  /** The pairs {@code p} accepts. */
  @Override
  PairBatch<K, V> filter(Predicate<? super Pair<K, V>> p);

  /** Each value transformed by {@code f}, keys unchanged. */
  <U> PairBatch<K, U> mapValues(Function<? super V, ? extends U> f);

  /** The values of each key reduced with {@code f}, in the default number of partitions. */
  PairBatch<K, V> reduceByKey(BinaryOperator<V> f);

  /**
   * For each pair whose key is in {@code other}, the pair {@code (key, (value, other.get(key)))}. A
   * map join: no shuffle, {@code other} is read by every task.
   */
  <W> PairBatch<K, Pair<V, W>> join(Map<K, W> other);

  /**
   * For every pair, {@code (key, (value, Optional.ofNullable(other.get(key))))}: keys missing from
   * {@code other} are kept with an empty optional.
   */
  <W> PairBatch<K, Pair<V, Optional<W>>> leftOuterJoin(Map<K, W> other);

  /** The pairs as a map; a key that occurs more than once keeps its last value. */
  Map<K, V> collectAsMap();
}
