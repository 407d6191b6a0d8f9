package dev.millrace.runtime.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.crds.launch.FallingBehindReport;
import dev.millrace.streaming.BatchInfo;
import org.junit.jupiter.api.Test;

class FallingBehindTest {
  private static final long INTERVAL = 1_000;
  private final FallingBehind judge = new FallingBehind(INTERVAL, 3);

  @Test
  void waitsThatGrowForTheGivenBatchesPastOneIntervalAreFallingBehind() {
    assertFalse(judge.completed(batch(1, 0, 1_500)));
    assertFalse(judge.completed(batch(2, 500, 1_500)));
    assertNull(judge.report(), "the wait is still within one interval");
    assertTrue(judge.completed(batch(3, 1_100, 1_400)));

    FallingBehindReport report = judge.report();
    assertEquals(1 * INTERVAL, report.sinceBatchTimeMs());
    assertEquals(3, report.batches());
    assertEquals(1_100, report.schedulingDelayMs());
    assertEquals(1_466, report.processingDelayMs());
    assertEquals(INTERVAL, report.batchIntervalMs());
    assertTrue(
        report.describe().contains("scheduling delay 1.1 s, grown over 3 batches"),
        report.describe());
  }

  @Test
  void aWaitThatShrinksStartsTheCountAgain() {
    judge.completed(batch(1, 1_200, 100));
    judge.completed(batch(2, 1_300, 100));
    judge.completed(batch(3, 1_250, 100));
    judge.completed(batch(4, 1_400, 100));
    assertNull(judge.report(), "two growing waits since the shrink, not three");
    judge.completed(batch(5, 1_500, 100));
    assertEquals(3 * INTERVAL, judge.report().sinceBatchTimeMs());
  }

  @Test
  void itStaysFallingBehindUntilABatchWaitsLessThanOneInterval() {
    judge.completed(batch(1, 1_100, 2_000));
    judge.completed(batch(2, 1_200, 2_000));
    judge.completed(batch(3, 1_300, 2_000));
    assertFalse(judge.completed(batch(4, 1_250, 900)), "a shrinking wait over one interval");
    assertEquals(1_250, judge.report().schedulingDelayMs());
    assertTrue(judge.completed(batch(5, 999, 900)));
    assertNull(judge.report());
  }

  @Test
  void fewerThanTwoBatchesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FallingBehind(INTERVAL, 1));
  }

  private static BatchInfo batch(long k, long schedulingDelay, long processing) {
    long time = k * INTERVAL;
    long start = time + schedulingDelay;
    return new BatchInfo(time, time, start, start + processing, 10);
  }
}
