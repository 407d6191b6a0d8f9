package dev.millrace.runtime.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.streaming.BatchInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchHistoryTest {

  /**
   * Submits, starts and completes batch {@code time} with {@code records} records of input "in".
   */
  static void run(BatchHistory history, long time, long records) {
    history.onBatchSubmitted(new BatchInfo(time, time + 1, -1, -1, -1));
    history.onBatchStarted(new BatchInfo(time, time + 1, time + 3, -1, -1));
    history.onBatchCompleted(
        new BatchInfo(time, time + 1, time + 3, time + 10, records, Map.of("in", records)));
  }

  @Test
  void aBatchIsPlannedThenRunningThenCompletedWithItsRecordsByInputAndItsDelays() {
    BatchHistory history = new BatchHistory(10, 3, List.of());
    history.onBatchSubmitted(new BatchInfo(1000, 1001, -1, -1, -1));
    assertEquals(BatchStatus.PLANNED, history.batch(1000).orElseThrow().status());
    history.onBatchStarted(new BatchInfo(1000, 1001, 1004, -1, -1));
    BatchSummary running = history.batch(1000).orElseThrow();
    assertEquals(BatchStatus.RUNNING, running.status());
    assertEquals(3, running.schedulingDelay());
    assertEquals(-1, running.processingTime());
    history.onBatchCompleted(new BatchInfo(1000, 1001, 1004, 1020, 7, Map.of("a", 3L, "b", 4L)));

    BatchSummary done = history.batch(1000).orElseThrow();
    assertEquals(
        new BatchSummary(
            1, 3, 1000, 1001, 1004, 1020, 7, Map.of("a", 3L, "b", 4L), BatchStatus.COMPLETED, null),
        done);
    assertEquals(16, done.processingTime());
    assertEquals(19, done.totalDelay());
    assertEquals(1, history.page(null, 0, 10).total(), "one entry per batch, updated in place");
  }

  @Test
  void anEarlierRunsBatchesComeBackWithTheirOutputsStagesAndInputParts() {
    BatchSummary earlier = HistoryStoreTest.detailed(1, 1000, 20, 10_000);

    BatchHistory history = new BatchHistory(10, 2, List.of(earlier));

    assertEquals(earlier, history.batch(1000).orElseThrow());
    assertEquals(2, history.run());
  }

  @Test
  void aFailedBatchKeepsTheErrorThatStoppedIt() {
    BatchHistory history = new BatchHistory(10, 1, List.of());
    history.onBatchSubmitted(new BatchInfo(1000, 1001, -1, -1, -1));
    history.onBatchStarted(new BatchInfo(1000, 1001, 1002, -1, -1));
    history.onBatchFailed(
        new BatchInfo(1000, 1001, 1002, 1009, -1), "batch 1000 failed in output operation x");

    BatchSummary failed = history.batch(1000).orElseThrow();
    assertEquals(BatchStatus.FAILED, failed.status());
    assertEquals("batch 1000 failed in output operation x", failed.error());
    assertEquals(7, failed.processingTime());
  }

  @Test
  void onlyTheNewestRetainedBatchesAreKeptTheOldestDroppedFirst() {
    BatchHistory history = new BatchHistory(3, 1, List.of());
    for (long t = 1; t <= 5; t++) {
      run(history, t * 100, t);
    }
    BatchPage all = history.page(null, 0, 10);
    assertEquals(3, all.total());
    assertEquals(
        List.of(500L, 400L, 300L), all.batches().stream().map(BatchSummary::batchTime).toList());
    assertTrue(history.batch(200).isEmpty());
  }

  @Test
  void pagesAreNewestFirstAndTheStatusFilterCountsOnlyMatchingBatches() {
    BatchHistory history = new BatchHistory(100, 1, List.of());
    for (long t = 1; t <= 5; t++) {
      run(history, t * 100, t);
    }
    history.onBatchSubmitted(new BatchInfo(600, 601, -1, -1, -1));

    BatchPage completed = history.page(BatchStatus.COMPLETED, 1, 2);
    assertEquals(5, completed.total());
    assertEquals(
        List.of(400L, 300L), completed.batches().stream().map(BatchSummary::batchTime).toList());
    BatchPage planned = history.page(BatchStatus.PLANNED, 0, 10);
    assertEquals(1, planned.total());
    assertEquals(600, planned.batches().get(0).batchTime());
    assertEquals(0, history.page(BatchStatus.FAILED, 0, 10).batches().size());
    assertEquals(
        List.of(100L, 200L, 300L, 400L, 500L),
        history.finished().stream().map(BatchSummary::batchTime).toList(),
        "the finished batches, oldest first, leave the planned one out");
  }

  @Test
  void aRestartedDriverShowsTheEarlierRunsBatchesFirstAndCountsItsOwnRunOneHigher() {
    BatchHistory first = new BatchHistory(3, 1, List.of());
    for (long t = 1; t <= 4; t++) {
      run(first, t * 100, t);
    }
    BatchHistory second = new BatchHistory(3, 2, first.finished());
    assertEquals(2, second.run());
    // Batch 400 runs again after the restart: both runs' entries are shown, the newest wins.
    run(second, 400, 40);
    run(second, 500, 50);

    List<BatchSummary> batches = second.page(null, 0, 10).batches();
    assertEquals(
        List.of("2:500", "2:400", "1:400"),
        batches.stream().map(b -> b.run() + ":" + b.batchTime()).toList());
    assertEquals(1, batches.get(2).attempt());
    assertEquals(40, second.batch(400).orElseThrow().records());
  }

  @Test
  void aHistoryMustRetainAtLeastOneBatch() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new BatchHistory(0, 1, List.of()));
    assertTrue(e.getMessage().contains("not 0"), e.getMessage());
  }
}
