package dev.millrace.runtime.backpressure;

/**
 * Paces a stream of records to a rate: the decision of how long an intake thread must wait before
 * it takes its next record. Pure: the caller passes the time and does the waiting, so a receiver
 * that waits stops reading its connection and TCP flow control slows the sender; nothing is
 * dropped.
 *
 * <p>Tokens accrue at the rate up to a burst of {@value #BURST_SECONDS} s worth. A record takes a
 * token; when none is left it takes one on credit, and once the credit amounts to {@value
 * #MAX_CREDIT_MILLIS} ms of the rate the caller waits until it is paid off. Waiting for a whole
 * credit, rather than for each record, keeps the rate exact at tens of thousands of records per
 * second, where one sleep per record would overshoot the timer's resolution.
 *
 * <p>Thread-safe: the rate may change from another thread while the intake thread acquires.
 */
public final class TokenBucket {
  /** The most tokens saved up while idle, in seconds of the rate. */
  static final double BURST_SECONDS = 0.1;

  /** The credit taken before the caller must wait, in milliseconds of the rate. */
  static final long MAX_CREDIT_MILLIS = 10;

  private double rate;
  private double tokens;
  private long lastNanos;
  private boolean started;

  /** A bucket pacing to {@code recordsPerSecond}; {@link Double#POSITIVE_INFINITY} is unlimited. */
  public TokenBucket(double recordsPerSecond) {
    this.rate = requireRate(recordsPerSecond);
  }

  /**
   * Changes the rate from now on. Tokens saved up beyond the new burst are forfeited; credit keeps
   * its length in time, so records taken at the old rate are not paid for at the new one.
   */
  public synchronized void setRate(double recordsPerSecond) {
    double old = rate;
    rate = requireRate(recordsPerSecond);
    if (Double.isInfinite(rate)) {
      started = false;
    } else if (tokens < 0) {
      tokens = tokens * rate / old;
    } else {
      tokens = Math.min(tokens, burst());
    }
  }

  /** The current rate in records per second; infinite when unlimited. */
  public synchronized double rate() {
    return rate;
  }

  /**
   * Takes one record at {@code nowNanos} (a {@link System#nanoTime()} reading) and returns how many
   * nanoseconds the caller must wait before taking the next; 0 to go on at once.
   */
  public long acquire(long nowNanos) {
    return acquire(nowNanos, 1);
  }

  /**
   * Takes {@code records} records at once at {@code nowNanos}, as {@link #acquire(long)} takes one:
   * the wait before taking more pays for all of them.
   */
  public synchronized long acquire(long nowNanos, int records) {
    if (Double.isInfinite(rate)) {
      return 0;
    }
    if (!started) {
      started = true;
      tokens = 0;
      lastNanos = nowNanos;
    }
    long elapsed = Math.max(0, nowNanos - lastNanos);
    tokens = Math.min(burst(), tokens + elapsed * rate / 1e9);
    lastNanos = nowNanos;
    tokens -= records;
    if (tokens >= 0) {
      return 0;
    }
    long creditNanos = (long) Math.ceil(-tokens / rate * 1e9);
    return creditNanos >= MAX_CREDIT_MILLIS * 1_000_000 ? creditNanos : 0;
  }

  private double burst() {
    return Math.max(1, rate * BURST_SECONDS);
  }

  private static double requireRate(double recordsPerSecond) {
    if (!(recordsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "a token bucket needs a positive rate in records per second, got " + recordsPerSecond);
    }
    return recordsPerSecond;
  }
}
