package dev.millrace.runtime.backpressure;

/**
 * How fast an input may take records: {@code recordsPerSecond}, which for batches every {@code
 * batchIntervalMillis} is {@link #recordsPerBatch()} records per batch.
 *
 * @param recordsPerSecond the rate, a positive finite number
 * @param batchIntervalMillis the batch interval of the input's context, positive
 */
public record RateLimit(double recordsPerSecond, long batchIntervalMillis) {

  /**
   * Validates the limit.
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public RateLimit {
    if (!(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond)) {
      throw new IllegalArgumentException(
          "a rate limit must be a positive number of records per second, got " + recordsPerSecond);
    }
    if (batchIntervalMillis <= 0) {
      throw new IllegalArgumentException(
          "a rate limit needs a positive batch interval, got " + batchIntervalMillis + " ms");
    }
  }

  /** The most records one batch may take: rate × interval, and at least 1 so input progresses. */
  public long recordsPerBatch() {
    return Math.max(1, (long) Math.floor(recordsPerSecond * batchIntervalMillis / 1000.0));
  }

  /** This limit, or {@code maxRecordsPerSecond} if that is lower. */
  public RateLimit atMost(double maxRecordsPerSecond) {
    return maxRecordsPerSecond < recordsPerSecond
        ? new RateLimit(maxRecordsPerSecond, batchIntervalMillis)
        : this;
  }
}
