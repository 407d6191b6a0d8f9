package dev.millrace.runtime.backpressure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PidRateEstimatorTest {
  private static final long INTERVAL = 1000;
  private static final double EXACT = 1e-9;

  private final PidRateEstimator estimator = new PidRateEstimator(INTERVAL);

  @Test
  void firstMeasuredBatchOnlySeedsTheEstimate() {
    assertEquals(OptionalDouble.empty(), estimator.compute(1000, 1000, 500, 0));
  }

  @Test
  void keepsTheRateWhenProcessingMatchesItWithoutDelay() {
    estimator.compute(1000, 1000, 500, 0); // seeds 2000 records/s

    assertEquals(2000, estimator.compute(2000, 2000, 1000, 0).getAsDouble(), EXACT);
  }

  @Test
  void followsTheProcessingRateDownWhenProcessingSlows() {
    estimator.compute(1000, 2000, 1000, 0); // seeds 2000 records/s

    assertEquals(500, estimator.compute(2000, 1000, 2000, 0).getAsDouble(), EXACT);
  }

  @Test
  void followsTheProcessingRateUpWhenProcessingSpeedsUp() {
    estimator.compute(1000, 2000, 1000, 0);

    assertEquals(4000, estimator.compute(2000, 4000, 1000, 0).getAsDouble(), EXACT);
  }

  @Test
  void schedulingDelayPushesTheRateBelowWhatProcessingManages() {
    estimator.compute(1000, 2000, 1000, 0);

    // 500 ms of queueing at 2000 records/s is 1000 records overflowing a 1 s batch: 1000/s of
    // historical error, weighted 0.2.
    assertEquals(1800, estimator.compute(2000, 2000, 1000, 500).getAsDouble(), EXACT);
  }

  @Test
  void neverEstimatesBelowTheMinimumRate() {
    estimator.compute(1000, 2000, 1000, 0);

    assertEquals(100, estimator.compute(2000, 10, 1000, 600_000).getAsDouble(), EXACT);
  }

  @Test
  void ignoresBatchesWithoutRecordsOrWithoutMeasurableProcessingTime() {
    assertEquals(OptionalDouble.empty(), estimator.compute(1000, 0, 500, 0));
    assertEquals(OptionalDouble.empty(), estimator.compute(2000, 1000, 0, 0));
    assertEquals(
        OptionalDouble.empty(),
        estimator.compute(3000, 1000, 500, 0),
        "the ignored batches did not count as the seeding one");
    assertTrue(estimator.compute(4000, 1000, 500, 0).isPresent());
  }

  @Test
  void ignoresBatchesCompletingNoLaterThanTheLatestUsed() {
    estimator.compute(2000, 2000, 1000, 0);

    assertEquals(OptionalDouble.empty(), estimator.compute(2000, 1000, 1000, 0));
    assertEquals(OptionalDouble.empty(), estimator.compute(1500, 1000, 1000, 0));
    assertEquals(2000, estimator.compute(3000, 2000, 1000, 0).getAsDouble(), EXACT);
  }

  @Test
  void derivativeGainReactsToTheChangeOfTheErrorPerSecond() {
    PidRateEstimator withDerivative = new PidRateEstimator(INTERVAL, 1.0, 0.0, 1.0, 1);
    withDerivative.compute(1000, 2000, 1000, 0);

    // error 2000 - 1500 = 500, up from 0 within 1 s: 2000 - 500 - 500.
    assertEquals(1000, withDerivative.compute(2000, 1500, 1000, 0).getAsDouble(), EXACT);
  }

  @Test
  void rejectsNegativeGainsAndNonPositiveMinimumRateNamingThem() {
    IllegalArgumentException gain =
        assertThrows(
            IllegalArgumentException.class, () -> new PidRateEstimator(INTERVAL, 1, -0.2, 0, 100));
    IllegalArgumentException min =
        assertThrows(
            IllegalArgumentException.class, () -> new PidRateEstimator(INTERVAL, 1, 0.2, 0, 0));

    assertTrue(gain.getMessage().contains("integral gain") && gain.getMessage().contains("-0.2"));
    assertTrue(min.getMessage().contains("minimum rate") && min.getMessage().contains("0.0"));
  }
}
