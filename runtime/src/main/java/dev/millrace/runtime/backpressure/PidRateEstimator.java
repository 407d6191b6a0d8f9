package dev.millrace.runtime.backpressure;

import java.util.OptionalDouble;

/**
 * Estimates how many records per second an input should hand to batches so that processing keeps
 * up: a proportional-integral-derivative controller, with the semantics of Spark Streaming's PID
 * rate estimator.
 *
 * <p>The controlled value is the rate; its error is the latest rate minus the processing rate the
 * latest batch achieved (records / processing delay). The integral term is the scheduling delay
 * read as records that overflowed earlier batches (delay × processing rate / batch interval), so a
 * queue of waiting batches pushes the rate below what processing manages until the queue drains.
 * The derivative term is the change of the error per second since the previous estimate.
 *
 * <p>The first measured batch only records its processing rate as the starting point and yields no
 * estimate. Batches with no records or no measurable processing time tell nothing about capacity
 * and are ignored, as are batches completing no later than the latest one used. Estimates never
 * fall below the minimum rate, so the input always delivers something to measure.
 *
 * <p>Pure and synchronized: fed on the batch-processing thread, readable from any.
 */
public final class PidRateEstimator {
  /** Weight of the current error: the bulk of the correction. */
  public static final double DEFAULT_PROPORTIONAL = 1.0;

  /** Weight of the accumulated error, which scheduling delay stands for. */
  public static final double DEFAULT_INTEGRAL = 0.2;

  /** Weight of the error's rate of change; off, as it tends to destabilize. */
  public static final double DEFAULT_DERIVATIVE = 0.0;

  /** The lowest estimate, in records per second. */
  public static final double DEFAULT_MIN_RATE = 100;

  private final long batchIntervalMillis;
  private final double proportional;
  private final double integral;
  private final double derivative;
  private final double minRate;

  private boolean seeded;
  private long latestTime = Long.MIN_VALUE;
  private double latestRate;
  private double latestError;

  /** An estimator with the default gains and minimum rate, for batches every {@code interval}. */
  public PidRateEstimator(long batchIntervalMillis) {
    this(
        batchIntervalMillis,
        DEFAULT_PROPORTIONAL,
        DEFAULT_INTEGRAL,
        DEFAULT_DERIVATIVE,
        DEFAULT_MIN_RATE);
  }

  /**
   * An estimator with explicit gains, all at least 0, and a minimum rate above 0.
   *
   * @throws IllegalArgumentException naming the offending value
   */
  public PidRateEstimator(
      long batchIntervalMillis,
      double proportional,
      double integral,
      double derivative,
      double minRate) {
    if (batchIntervalMillis <= 0) {
      throw new IllegalArgumentException(
          "a rate estimator needs a positive batch interval, got " + batchIntervalMillis + " ms");
    }
    requireGain("proportional", proportional);
    requireGain("integral", integral);
    requireGain("derivative", derivative);
    if (!(minRate > 0) || Double.isInfinite(minRate)) {
      throw new IllegalArgumentException(
          "the minimum rate of a rate estimator must be a positive number of records per second,"
              + " got "
              + minRate
              + "; an input limited to 0 would never deliver a batch to measure");
    }
    this.batchIntervalMillis = batchIntervalMillis;
    this.proportional = proportional;
    this.integral = integral;
    this.derivative = derivative;
    this.minRate = minRate;
  }

  private static void requireGain(String name, double gain) {
    if (!(gain >= 0) || Double.isInfinite(gain)) {
      throw new IllegalArgumentException(
          "the " + name + " gain of a rate estimator must be a finite number >= 0, got " + gain);
    }
  }

  /**
   * Takes in one completed batch and returns the new rate in records per second, or empty when this
   * batch sets no rate (it is the first measured, or is ignored).
   *
   * @param time when the batch completed, epoch milliseconds
   * @param elements records the input handed to the batch
   * @param processingDelayMillis how long the batch's processing took
   * @param schedulingDelayMillis how long the batch waited in the queue before processing
   */
  public synchronized OptionalDouble compute(
      long time, long elements, long processingDelayMillis, long schedulingDelayMillis) {
    if (elements <= 0 || processingDelayMillis <= 0 || time <= latestTime) {
      return OptionalDouble.empty();
    }
    double processingRate = elements * 1000.0 / processingDelayMillis;
    if (!seeded) {
      seeded = true;
      latestTime = time;
      latestRate = processingRate;
      latestError = 0;
      return OptionalDouble.empty();
    }
    double secondsSinceUpdate = (time - latestTime) / 1000.0;
    double error = latestRate - processingRate;
    double historicalError =
        Math.max(0, schedulingDelayMillis) * processingRate / batchIntervalMillis;
    double errorChange = (error - latestError) / secondsSinceUpdate;
    double rate =
        Math.max(
            minRate,
            latestRate
                - proportional * error
                - integral * historicalError
                - derivative * errorChange);
    latestTime = time;
    latestRate = rate;
    latestError = error;
    return OptionalDouble.of(rate);
  }
}
