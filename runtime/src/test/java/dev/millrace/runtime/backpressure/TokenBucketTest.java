package dev.millrace.runtime.backpressure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bucket is driven with made-up nanosecond readings: no test here waits or reads a clock. */
class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void pacesAnEndlessStreamToTheRateOnAverage() {
    TokenBucket bucket = new TokenBucket(10_000);

    long elapsed = runFor(bucket, 0, 100_000);

    // 100,000 records at 10,000/s take 10 s, less at most the credit the last record took.
    assertTrue(elapsed <= 10 * SECOND, "too slow: " + elapsed);
    assertTrue(elapsed >= 10 * SECOND - 11_000_000, "too fast: " + elapsed);
  }

  @Test
  void waitsOnlyOnceTheCreditAmountsToTenMillisecondsOfTheRate() {
    TokenBucket bucket = new TokenBucket(1000);

    int passedWithoutWaiting = 0;
    while (bucket.acquire(0) == 0) {
      passedWithoutWaiting++;
    }

    assertEquals(9, passedWithoutWaiting, "the 10th record makes 10 ms of credit");
  }

  @Test
  void savesUpAtMostATenthOfASecondOfRecordsWhileIdle() {
    TokenBucket bucket = new TokenBucket(1000);
    bucket.acquire(0);

    int burst = 0;
    while (bucket.acquire(60 * SECOND) == 0) {
      burst++;
    }

    assertEquals(100 + 9, burst, "100 saved tokens, then 9 records on credit");
  }

  @Test
  void neverWaitsWhenUnlimited() {
    TokenBucket bucket = new TokenBucket(Double.POSITIVE_INFINITY);

    for (int i = 0; i < 1_000_000; i++) {
      assertEquals(0, bucket.acquire(0));
    }
  }

  @Test
  void aLowerRateTakesEffectForTheNextRecords() {
    TokenBucket bucket = new TokenBucket(10_000);
    long t = runFor(bucket, 0, 10_000);

    bucket.setRate(100);
    long elapsed = runFor(bucket, t, 1000) - t;

    assertTrue(elapsed >= 9 * SECOND && elapsed <= 10 * SECOND + 10_000_000, "took " + elapsed);
  }

  @Test
  void anUnlimitedBucketLimitedAgainStartsWithoutSavedTokens() {
    TokenBucket bucket = new TokenBucket(Double.POSITIVE_INFINITY);
    bucket.acquire(0);
    bucket.setRate(1000);

    int passedWithoutWaiting = 0;
    while (bucket.acquire(60 * SECOND) == 0) {
      passedWithoutWaiting++;
    }

    assertEquals(9, passedWithoutWaiting);
  }

  /** Takes {@code records} records from {@code start}, waiting as told; returns the time after. */
  private static long runFor(TokenBucket bucket, long start, int records) {
    long now = start;
    for (int i = 0; i < records; i++) {
      now += bucket.acquire(now);
    }
    return now;
  }
}
