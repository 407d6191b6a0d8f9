package dev.millrace.streaming;

import java.util.Objects;

/**
 * A key and a value: the record type of a {@link PairDStream}. Printed as {@code (key,value)}.
 *
 * @param key the key; records with equal keys meet in key-based operations
 * @param value the value
 * @param <K> key type
 * @param <V> value type
 */
public record Pair<K, V>(K key, V value) {

  /** A pair of {@code key} and {@code value}. */
  public static <K, V> Pair<K, V> of(K key, V value) {
    return new Pair<>(key, value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pair<?, ?> p
        && Objects.equals(key, p.key)
        && Objects.equals(value, p.value);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(key) + Objects.hashCode(value);
  }

  @Override
  public String toString() {
    return "(" + key + "," + value + ")";
  }
}
