package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.history.BatchHistory;
import dev.millrace.runtime.history.BatchStatus;
import dev.millrace.runtime.history.BatchSummary;
import dev.millrace.runtime.history.OutputSummary;
import dev.millrace.runtime.history.PartsSummary;
import dev.millrace.runtime.history.StageSummary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What a real context on {@code local[2]} tells of each batch's inside, and what the UI's {@link
 * BatchHistory} keeps of it: its output operations (with the error of one that throws) and its
 * stages (a shuffle, a state update, the outputs' own tasks) and the slices its queue input read.
 */
class BatchDetailsTest {

  /** Word counts of a queue, running totals, and two outputs; the second throws at batch 3. */
  private static void define(TestingStreams t) {
    DStream<String> words =
        t.queue(List.of(List.of("a", "b", "a"), List.of("c"), List.of("a", "boom")));
    PairDStream<String, Integer> counts =
        words.mapToPair(w -> Pair.of(w, 1)).reduceByKey(Integer::sum);
    counts.foreachBatch(Batch::collect);
    counts
        .updateStateByKey(
            (List<Integer> news, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + news.stream().mapToInt(i -> i).sum()))
        .foreachBatch(
            batch -> {
              if (batch.collect().stream().anyMatch(p -> p.toString().contains("boom"))) {
                throw new IllegalStateException("boom is no word");
              }
            });
  }

  @Test
  void eachOutputOperationIsToldBeforeAndAfterItRunsAndAFailedOnesErrorBeforeTheBatchFails()
      throws Exception {
    List<String> events = new CopyOnWriteArrayList<>();
    try (TestingStreams t = new TestingStreams()) {
      define(t);
      t.ssc.addStreamingListener(
          new StreamingListener() {
            @Override
            public void onOutputOperationStarted(OutputOperationInfo o) {
              events.add(o.batchTime() + " started " + o.index() + " " + o.name());
              assertEquals(-1, o.endTime());
              assertEquals(-1, o.duration());
            }

            @Override
            public void onOutputOperationCompleted(OutputOperationInfo o) {
              assertTrue(o.endTime() >= o.startTime(), o.toString());
              events.add(
                  o.batchTime()
                      + " completed "
                      + o.index()
                      + " "
                      + o.description().replaceAll("#\\d+", "")
                      + (o.failed() ? " failed: " + o.failureReason() : ""));
            }

            @Override
            public void onBatchFailed(BatchInfo batch, String error) {
              events.add(batch.batchTime() + " failed");
            }
          });
      t.runBatches(2);
      t.clock.setTime(3 * TestingStreams.INTERVAL);
      assertThrows(StreamingException.class, t.ssc::awaitTermination);
    }
    assertEquals(
        List.of(
            "1000 started 0 foreachBatch",
            "1000 completed 0 reduceByKey",
            "1000 started 1 foreachBatch",
            "1000 completed 1 updateStateByKey",
            "2000 started 0 foreachBatch",
            "2000 completed 0 reduceByKey",
            "2000 started 1 foreachBatch",
            "2000 completed 1 updateStateByKey",
            "3000 started 0 foreachBatch",
            "3000 completed 0 reduceByKey",
            "3000 started 1 foreachBatch",
            "3000 completed 1 updateStateByKey failed: java.lang.IllegalStateException: boom is no"
                + " word",
            "3000 failed"),
        events);
  }

  @Test
  void theHistoryKeepsEachBatchsOutputsWithTheirTimesAndTheFailedOnesError() throws Exception {
    BatchHistory history = new BatchHistory(100, 1, List.of());
    try (TestingStreams t = new TestingStreams()) {
      define(t);
      t.ssc.addStreamingListener(history);
      t.runBatches(2);
      t.clock.setTime(3 * TestingStreams.INTERVAL);
      assertThrows(StreamingException.class, t.ssc::awaitTermination);
    }
    BatchSummary done = history.batch(2000).orElseThrow();
    assertEquals(BatchStatus.COMPLETED, done.status());
    assertEquals(
        List.of("0 foreachBatch succeeded", "1 foreachBatch succeeded"),
        done.outputs().stream().map(o -> o.index() + " " + o.name() + " " + o.status()).toList());
    for (OutputSummary o : done.outputs()) {
      assertTrue(
          o.startTime() >= done.processingStartTime()
              && o.endTime() >= o.startTime()
              && o.endTime() <= done.processingEndTime(),
          o + " within " + done);
    }
    assertTrue(done.outputs().get(1).stream().startsWith("updateStateByKey#"));

    BatchSummary failed = history.batch(3000).orElseThrow();
    assertEquals(BatchStatus.FAILED, failed.status());
    assertEquals(
        List.of("succeeded", "failed"),
        failed.outputs().stream().map(OutputSummary::status).toList());
    assertEquals(
        "java.lang.IllegalStateException: boom is no word", failed.outputs().get(1).error());
  }

  @Test
  void theHistoryKeepsEachStageWithItsTasksWhereTheyRanAndTheShuffleBytes() throws Exception {
    BatchHistory history = new BatchHistory(100, 1, List.of());
    try (TestingStreams t = new TestingStreams()) {
      define(t);
      t.ssc.addStreamingListener(history);
      t.runBatches(2);
      t.clock.setTime(3 * TestingStreams.INTERVAL);
      assertThrows(StreamingException.class, t.ssc::awaitTermination);
    }
    BatchSummary done = history.batch(2000).orElseThrow();
    // local[2]: two partitions, so a shuffle runs two map and two reduce tasks.
    assertEquals(
        List.of(
            "shuffle reduceByKey 4",
            "output foreachBatch of reduceByKey 2",
            "shuffle updateStateByKey 4",
            "state updateStateByKey 2",
            "output foreachBatch of updateStateByKey 2"),
        done.stages().stream()
            .map(s -> s.kind() + " " + s.name().replaceAll("#\\d+", "") + " " + s.tasks())
            .toList());
    for (StageSummary stage : done.stages()) {
      assertEquals(
          List.of(new StageSummary.Ran("driver", null, stage.tasks())),
          stage.executors(),
          "local tasks run on the driver: " + stage);
      assertEquals(0, stage.tasksRetried());
      assertTrue(stage.durationMicros() >= 0 && stage.startTime() > 0, stage.toString());
      assertEquals(stage.kind().equals("shuffle") ? 0 : -1, stage.shuffleBytes(), stage.toString());
    }
    assertEquals(0, done.shuffleBytes(), "a local shuffle stays in memory");
    PartsSummary slices = done.inputParts().get(0);
    assertEquals(1, done.inputParts().size());
    assertEquals("queueStream#0", slices.input().replaceAll("#\\d+", "#0"));
    assertEquals(slices.total(), slices.parts().size());
    assertEquals(
        1,
        slices.parts().stream().mapToInt(p -> Integer.parseInt(p.replace(" records", ""))).sum(),
        "batch 2000 takes the queue's list of one word: " + slices);

    BatchSummary failed = history.batch(3000).orElseThrow();
    assertEquals(
        "output foreachBatch of updateStateByKey",
        failed.stages().get(failed.stages().size() - 1).kind()
            + " "
            + failed.stages().get(failed.stages().size() - 1).name().replaceAll("#\\d+", ""),
        "the failed output's stage is kept");
  }
}
