package dev.millrace.runtime.backpressure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimitTest {

  @Test
  void recordsPerBatchIsTheRateTimesTheIntervalRoundedDown() {
    assertEquals(2500, new RateLimit(5000, 500).recordsPerBatch());
    assertEquals(33, new RateLimit(333.9, 100).recordsPerBatch());
  }

  @Test
  void everyBatchMayTakeAtLeastOneRecordSoInputProgresses() {
    assertEquals(1, new RateLimit(0.5, 100).recordsPerBatch());
  }

  @Test
  void atMostKeepsTheLowerOfTheTwoRates() {
    RateLimit limit = new RateLimit(5000, 1000);

    assertEquals(2000, limit.atMost(2000).recordsPerSecond());
    assertSame(limit, limit.atMost(Double.POSITIVE_INFINITY));
  }

  @Test
  void rejectsAZeroRateNamingIt() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, 1000));

    assertTrue(e.getMessage().contains("got 0.0"), e.getMessage());
  }
}
