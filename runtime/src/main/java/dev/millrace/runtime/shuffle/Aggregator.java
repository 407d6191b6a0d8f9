package dev.millrace.runtime.shuffle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * How a shuffle combines the values of one key: on the map side into a combiner per key and target
 * partition, then on the reduce side combiners from every map task into one.
 *
 * @param <V> value type
 * @param <C> combined type
 */
public interface Aggregator<V, C> {

  /** Adds {@code value} for {@code key} to {@code combiners}. */
  <K> void add(HashMap<K, C> combiners, K key, V value);

  /** Two combiners of the same key, merged. */
  C merge(C left, C right);

  /** Reduces values with {@code f}: the combiner of a key is the reduction of its values. */
  static <V> Aggregator<V, V> reducing(BinaryOperator<V> f) {
    return new Aggregator<>() {
      @Override
      public <K> void add(HashMap<K, V> combiners, K key, V value) {
        combiners.merge(key, value, f);
      }

      @Override
      public V merge(V left, V right) {
        return f.apply(left, right);
      }
    };
  }

  /** Collects the values of a key into a list, in arrival order. */
  static <V> Aggregator<V, List<V>> grouping() {
    return new Aggregator<>() {
      @Override
      public <K> void add(HashMap<K, List<V>> combiners, K key, V value) {
        combiners.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
      }

      @Override
      public List<V> merge(List<V> left, List<V> right) {
        left.addAll(right);
        return left;
      }
    };
  }
}
