package dev.millrace.streaming;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/** Independent reference computations over plain collections, to check the engine against. */
final class References {
  private References() {}

  /** Reduces values by key with {@code f}, in input order. */
  static <K, V> Map<K, V> reduceByKey(List<Pair<K, V>> pairs, BinaryOperator<V> f) {
    Map<K, V> out = new HashMap<>();
    for (Pair<K, V> p : pairs) {
      out.merge(p.key(), p.value(), f);
    }
    return out;
  }

  /** The batches numbered {@code from..to} (1-based, clipped to what exists) concatenated. */
  static <T> List<T> concat(List<List<T>> batches, int from, int to) {
    List<T> out = new ArrayList<>();
    for (int k = Math.max(1, from); k <= Math.min(to, batches.size()); k++) {
      out.addAll(batches.get(k - 1));
    }
    return out;
  }

  /** {@code pairs} as a map, failing on a duplicate key. */
  static <K, V> Map<K, V> asMap(List<Pair<K, V>> pairs) {
    Map<K, V> out = new HashMap<>();
    for (Pair<K, V> p : pairs) {
      if (out.put(p.key(), p.value()) != null) {
        throw new AssertionError("key " + p.key() + " appears twice in " + pairs);
      }
    }
    return out;
  }

  /** A sorted copy, for comparing batches whose order across partitions is not specified. */
  static <T> List<T> sorted(List<T> records) {
    List<T> out = new ArrayList<>(records);
    out.sort(Comparator.comparing(String::valueOf));
    return out;
  }
}
