package dev.millrace.runtime.shuffle;

import java.util.Map;

/**
 * A materialized dataset of key-value pairs, hash-partitioned: partition {@code p} holds exactly
 * the keys {@link #partitioner()} puts there, one entry per key.
 *
 * @param <K> key type
 * @param <V> value type
 */
public interface KeyedDataset<K, V> {

  /** The partitioner that placed the keys. */
  HashPartitioner partitioner();

  /** The entries of partition {@code p}; read only, valid once materialized. */
  Map<K, V> partitionMap(int p);
}
