package dev.millrace.operator.monitoring;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A Prometheus histogram of durations in seconds with fixed buckets. Thread-safe: reconciles run on
 * a pool while a scrape reads, and a scrape sees the buckets, sum and count of the same moment.
 */
final class LatencyHistogram {
  /** Prometheus's default buckets, which fit reconciles from a cache hit to a slow API server. */
  static final List<Double> BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  private final long[] counts = new long[BUCKETS.size()];
  private long count;
  private double sum;

  /** Counts one observation of {@code duration}. */
  synchronized void observe(Duration duration) {
    double seconds = duration.toNanos() / 1e9;
    for (int i = 0; i < counts.length; i++) {
      if (seconds <= BUCKETS.get(i)) {
        counts[i]++;
      }
    }
    count++;
    sum += seconds;
  }

  /** The observations so far: cumulative bucket counts, then the sum and the count. */
  synchronized Snapshot snapshot() {
    return new Snapshot(Arrays.stream(counts).boxed().toList(), sum, count);
  }

  /**
   * @param cumulative for each of {@link #BUCKETS}, how many observations were at most its bound
   */
  record Snapshot(List<Long> cumulative, double sum, long count) {}
}
