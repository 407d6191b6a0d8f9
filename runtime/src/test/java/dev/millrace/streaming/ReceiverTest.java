package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.source.SourceStatus;
import dev.millrace.streaming.TestingCountingReceiver.ReportError;
import dev.millrace.streaming.TestingCountingReceiver.Restart;
import dev.millrace.streaming.TestingCountingReceiver.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application's own receiver through the public {@link Receiver} API: batches hold exactly what
 * it stored, in store order; {@code restart} stops and starts it within the budget and fails the
 * driver past it; {@code reportError} shows in the status; and with a checkpoint directory every
 * acknowledged record is processed exactly once across a driver crash.
 */
class ReceiverTest {
  @TempDir Path dir;

  @Test
  void eachBatchHoldsExactlyTheRecordsStoredBeforeItInStoreOrder() throws Exception {
    TestingCountingReceiver receiver = new TestingCountingReceiver(0);
    Map<Long, List<Long>> batches = new ConcurrentSkipListMap<>();
    try (TestingRun run = new TestingRun(dir.resolve("cp").toString(), 0, b -> {})) {
      run.ssc.receiverStream(receiver).foreachBatch(b -> batches.put(b.time(), b.collect()));
      run.ssc.start();
      receiver.command(new Store(10, 1, false));
      receiver.command(new Store(25, 7, false));
      receiver.command(new Store(20, 20, true));
      receiver.awaitAcknowledged(55);
      run.runUntil(1000);
      receiver.command(new Store(5, 5, false));
      receiver.awaitAcknowledged(60);
      run.runUntil(2000);
      run.runUntil(3000);
    }

    assertEquals(range(0, 55), batches.get(1000L));
    assertEquals(range(55, 60), batches.get(2000L));
    assertEquals(List.of(), batches.get(3000L));
    assertEquals(1, receiver.starts.get());
    assertEquals(1, receiver.stops.get(), "stopping the context stops the receiver");
    assertTrue(receiver.isStopped());
    IllegalStateException late =
        assertThrows(IllegalStateException.class, () -> receiver.store(1L));
    assertTrue(late.getMessage().contains("receiver 'counting' has stopped"), late.getMessage());
  }

  @Test
  void anOnStartThatThrowsIsAFailureAndTheReceiverIsStartedAgainAfterTheBackoff() throws Exception {
    AtomicInteger starts = new AtomicInteger();
    Receiver<String> flaky =
        new Receiver<>() {
          @Override
          protected void onStart() {
            if (starts.incrementAndGet() == 1) {
              throw new IllegalStateException("the feed is not up yet");
            }
            Thread t = new Thread(() -> store(List.of("a", "b")));
            t.setDaemon(true);
            t.start();
          }

          @Override
          protected void onStop() {}
        };
    List<String> received = new CopyOnWriteArrayList<>();
    try (TestingRun run = new TestingRun(dir.resolve("cp").toString(), 0, b -> {})) {
      run.ssc.receiverStream(flaky).foreachBatch(b -> received.addAll(b.collect()));
      run.ssc.start();
      waitFor(() -> Contexts.engine(run.ssc) != null && status(run.ssc).recordsReceived() == 2);
      run.runUntil(1000);

      SourceStatus status = status(run.ssc);
      assertEquals(1, status.receiverRestarts());
      assertTrue(status.lastError().contains("the feed is not up yet"), status.lastError());
      assertNull(status.outageSinceMs(), "started again, so no longer in an outage");
    }
    assertEquals(2, starts.get());
    assertEquals(List.of("a", "b"), received);
  }

  @Test
  void aBatchTakesNoMoreThanTheRateAllowsAndTheRestWaitInOrderForLaterBatches() throws Exception {
    TestingCountingReceiver receiver = new TestingCountingReceiver(0);
    Map<Long, List<Long>> batches = new ConcurrentSkipListMap<>();
    try (TestingRun run =
        new TestingRun(
            dir.resolve("cp").toString(),
            0,
            b -> b.conf("millrace.backpressure.initial-rate", "40"))) {
      run.ssc.receiverStream(receiver).foreachBatch(b -> batches.put(b.time(), b.collect()));
      run.ssc.start();
      receiver.command(new Store(100, 10, false));
      receiver.awaitAcknowledged(100);
      for (long t = 1000; t <= 10_000; t += 1000) {
        run.runUntil(t);
      }
    }

    List<Long> all = new ArrayList<>();
    batches.forEach(
        (time, records) -> {
          assertTrue(records.size() <= 40, "batch " + time + " took " + records.size());
          all.addAll(records);
        });
    assertEquals(40, batches.get(1000L).size(), "the initial rate times the 1 s interval");
    assertEquals(range(0, 100), all, "every record once, in order, none dropped");
  }

  @Test
  void withoutACheckpointDirectoryStoredRecordsReachTheBatchesFromMemory() throws Exception {
    TestingCountingReceiver receiver = new TestingCountingReceiver(100);
    ManualClock clock = new ManualClock(0);
    Map<Long, List<Long>> batches = new ConcurrentSkipListMap<>();
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("in-memory")
            .batchInterval(Durations.milliseconds(1000))
            .clock(clock)
            .build();
    try {
      ssc.receiverStream(receiver).foreachBatch(b -> batches.put(b.time(), b.collect()));
      ssc.start();
      receiver.command(new Store(30, 4, false));
      receiver.awaitAcknowledged(30);
      clock.setTime(1000);
      waitFor(() -> batches.containsKey(1000L));
    } finally {
      ssc.stop(false);
    }

    assertEquals(range(100, 130), batches.get(1000L));
  }

  @Test
  void restartStopsAndStartsTheReceiverAgainAndPastTheBudgetTheDriverStopsWithTheFailure()
      throws Exception {
    TestingCountingReceiver receiver = new TestingCountingReceiver(0);
    List<Long> received = new CopyOnWriteArrayList<>();
    try (TestingRun run =
        new TestingRun(
            dir.resolve("cp").toString(), 0, b -> b.conf("millrace.receiver.max-restarts", "1"))) {
      run.ssc.receiverStream(receiver).foreachBatch(b -> received.addAll(b.collect()));
      run.ssc.start();
      receiver.command(new Store(3, 3, false));
      receiver.awaitAcknowledged(3);
      receiver.command(new Restart("the feed went away"));
      waitFor(() -> receiver.starts.get() == 2);
      assertEquals(1, receiver.stops.get(), "onStop before onStart again");
      SourceStatus restarted = status(run.ssc);
      assertEquals(1, restarted.receiverRestarts());
      assertTrue(restarted.lastError().contains("the feed went away"), restarted.lastError());
      receiver.command(new Store(4, 2, false));
      receiver.awaitAcknowledged(7);
      run.runUntil(1000);
      assertEquals(range(0, 7), received, "the restarted receiver stores on after the first");

      receiver.command(new Restart("the feed went away again"));
      waitFor(() -> receiver.stops.get() == 2);
      run.clock.setTime(2000);
      StreamingException failure =
          assertThrows(StreamingException.class, () -> run.ssc.awaitTerminationOrTimeout(30_000));
      String messages = causes(failure);
      assertTrue(
          messages.contains("receiver 'counting' stopped")
              && messages.contains("more than millrace.receiver.max-restarts=1 allows")
              && messages.contains("the feed went away again"),
          messages);
      assertEquals(StreamingContext.State.STOPPED, run.ssc.state());
    }
    assertEquals(2, receiver.starts.get(), "never started again past the budget");
  }

  @Test
  void aReportedErrorIsTheInputsLastErrorWhileItGoesOnReceiving() throws Exception {
    TestingCountingReceiver receiver = new TestingCountingReceiver(0);
    List<Long> received = new CopyOnWriteArrayList<>();
    try (TestingRun run = new TestingRun(dir.resolve("cp").toString(), 0, b -> {})) {
      run.ssc.receiverStream(receiver).foreachBatch(b -> received.addAll(b.collect()));
      run.ssc.start();
      assertNull(status(run.ssc).lastError());
      receiver.command(new ReportError("record 17 is not a number"));
      receiver.command(new Store(2, 2, false));
      receiver.awaitAcknowledged(2);
      run.runUntil(1000);

      SourceStatus status = status(run.ssc);
      assertTrue(status.lastError().contains("record 17 is not a number"), "last error: " + status);
      assertNull(status.outageSinceMs(), "a reported error is no outage: " + status);
      assertEquals(0, status.receiverRestarts());
      assertEquals(2L, status.recordsReceived());
      assertEquals("counting", status.description());
      assertNull(status.connected(), "a receiver has no connection of its own to report");
    }
    assertEquals(range(0, 2), received);
  }

  @Test
  void afterADriverCrashEveryAcknowledgedRecordIsProcessedExactlyOnce() throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    Map<Long, List<Long>> outputs = new ConcurrentSkipListMap<>();
    CountDownLatch storedDuringCrashedBatch = new CountDownLatch(1);
    TestingCountingReceiver first = new TestingCountingReceiver(0);
    try (TestingRun run = new TestingRun(checkpoint, 0, b -> {})) {
      run.ssc
          .receiverStream(first)
          .foreachBatch(
              b -> {
                if (b.time() == 2000) {
                  // Records acknowledged after this batch took its own: logged, taken by none.
                  first.command(new Store(15, 5, false));
                  first.awaitAcknowledged(35);
                  storedDuringCrashedBatch.countDown();
                  throw new IllegalStateException("driver dies during batch 2000");
                }
                outputs.put(b.time(), b.collect());
              });
      run.ssc.start();
      first.command(new Store(10, 10, false));
      first.awaitAcknowledged(10);
      run.runUntil(1000);
      first.command(new Store(10, 3, false));
      first.awaitAcknowledged(20);
      run.crashAt(2000);
    }
    assertTrue(storedDuringCrashedBatch.await(0, TimeUnit.SECONDS));
    assertEquals(range(0, 10), outputs.get(1000L));

    TestingCountingReceiver second = new TestingCountingReceiver(35);
    try (TestingRun run = new TestingRun(checkpoint, 2500, b -> {})) {
      run.ssc.receiverStream(second).foreachBatch(b -> outputs.put(b.time(), b.collect()));
      run.ssc.start();
      second.command(new Store(5, 5, false));
      second.awaitAcknowledged(5);
      run.runUntil(3000);
    }

    assertEquals(range(10, 20), outputs.get(2000L), "the crashed batch again, from the log");
    assertEquals(range(20, 40), outputs.get(3000L), "acknowledged before the crash, then new");
    List<Long> all = new ArrayList<>();
    outputs.values().forEach(all::addAll);
    assertEquals(range(0, 40), all, "every acknowledged record exactly once");
  }

  @Test
  void storingBeforeTheContextStartsTheReceiverIsRefusedNamingIt() {
    TestingCountingReceiver receiver = new TestingCountingReceiver(0);

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> receiver.store(1L));

    assertTrue(e.getMessage().contains("receiver 'counting'"), e.getMessage());
    assertTrue(receiver.isStopped());
  }

  private static SourceStatus status(StreamingContext ssc) {
    return Contexts.engine(ssc).graph().inputs().get(0).source().status();
  }

  private static String causes(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }

  private static List<Long> range(long from, long until) {
    return LongStream.range(from, until).boxed().toList();
  }

  private static void waitFor(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within 30 s");
      }
      Thread.sleep(5);
    }
  }
}
