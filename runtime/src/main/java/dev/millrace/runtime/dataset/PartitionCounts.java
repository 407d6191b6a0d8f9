package dev.millrace.runtime.dataset;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The record count of each partition of a {@link CountedInput}, set once: by the first task that
 * reads the partition, or by the count an executor reported for it (the same number). Thread-safe:
 * tasks count on many threads while the driver takes executors' counts.
 */
public final class PartitionCounts {
  private static final long UNCOUNTED = -1;

  private final AtomicLongArray counts;
  private final AtomicInteger uncounted;

  /** Counts for {@code partitions} partitions, none counted yet. */
  public PartitionCounts(int partitions) {
    this.counts = new AtomicLongArray(partitions);
    for (int i = 0; i < partitions; i++) {
      counts.set(i, UNCOUNTED);
    }
    this.uncounted = new AtomicInteger(partitions);
  }

  /**
   * Records that {@code partition} holds {@code records} records, unless it was counted before;
   * true when this was the last partition left to count.
   */
  public boolean count(int partition, long records) {
    return counts.compareAndSet(partition, UNCOUNTED, records) && uncounted.decrementAndGet() == 0;
  }

  /** Whether {@code partition} has been counted. */
  public boolean isCounted(int partition) {
    return counts.get(partition) != UNCOUNTED;
  }

  /** The count of {@code partition}, which {@link #isCounted} must say is counted. */
  public long get(int partition) {
    return counts.get(partition);
  }

  /** The sum of every partition's count, once all are counted. */
  public long total() {
    long total = 0;
    for (int i = 0; i < counts.length(); i++) {
      total += counts.get(i);
    }
    return total;
  }

  /** Every count so far, by partition. */
  public Map<Integer, Long> counted() {
    Map<Integer, Long> counted = new TreeMap<>();
    for (int i = 0; i < counts.length(); i++) {
      long count = counts.get(i);
      if (count != UNCOUNTED) {
        counted.put(i, count);
      }
    }
    return counted;
  }
}
