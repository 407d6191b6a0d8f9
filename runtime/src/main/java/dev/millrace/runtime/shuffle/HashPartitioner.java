package dev.millrace.runtime.shuffle;

/**
 * Assigns a key to one of {@code n} partitions by its hash code. Every keyed operator of a stream
 * with the same partition count places a key in the same partition, so state, windows and joins
 * meet partition by partition without moving data again.
 *
 * @param partitions the number of partitions, at least 1
 */
public record HashPartitioner(int partitions) {

  /** Checks that there is at least one partition. */
  public HashPartitioner {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "the number of partitions must be at least 1, got " + partitions);
    }
  }

  /** The partition of {@code key}; {@code null} goes to partition 0. */
  public int partition(Object key) {
    if (key == null) {
      return 0;
    }
    int h = key.hashCode();
    // Spread the high bits: keys such as multiples of 1024 would otherwise share a partition.
    h ^= (h >>> 16);
    return Math.floorMod(h, partitions);
  }
}
