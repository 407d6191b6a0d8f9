package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingContextTest {
  private final TestingStreams t = new TestingStreams();

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void theEngineRefusesSettingsAndArgumentsWithAConfigurationExceptionNamingTheValue() {
    assertTrue(
        assertThrows(
                ConfigurationException.class,
                () -> new StreamingContext("yarn", "x", Durations.seconds(1)))
            .getMessage()
            .contains("master 'yarn'"));
    assertTrue(
        assertThrows(
                ConfigurationException.class,
                () ->
                    StreamingContext.builder()
                        .appName("x")
                        .batchInterval(Durations.seconds(1))
                        .conf(java.util.Map.of("millrace.checkpoint.intervall", "5s"))
                        .build())
            .getMessage()
            .contains("millrace.checkpoint.intervall"));
    assertThrows(ConfigurationException.class, () -> Durations.parse("fast"));
    assertTrue(
        assertThrows(
                ConfigurationException.class,
                () -> t.queue(List.of(List.of(1))).window(Durations.milliseconds(1500)))
            .getMessage()
            .contains("1500 ms"));
    assertTrue(
        assertThrows(ConfigurationException.class, () -> t.ssc.socketTextStream("localhost", 0))
            .getMessage()
            .contains("port 0"));
    assertTrue(
        assertThrows(ConfigurationException.class, () -> t.ssc.textFileStream("nosuch://in/dir"))
            .getMessage()
            .contains("nosuch://in/dir"));
  }

  @Test
  void firstBatchIsTheNextMultipleOfTheBatchInterval() {
    List<Long> times = new CopyOnWriteArrayList<>();
    t.queue(List.of(List.of(1))).foreachBatch(b -> times.add(b.time()));
    t.runBatches(3);
    assertEquals(List.of(1000L, 2000L, 3000L), times);
  }

  @Test
  void listenerReportsDelaysAndRecordCounts() {
    List<BatchInfo> completed = new CopyOnWriteArrayList<>();
    List<BatchInfo> submitted = new CopyOnWriteArrayList<>();
    t.ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchSubmitted(BatchInfo b) {
            submitted.add(b);
          }

          @Override
          public void onBatchCompleted(BatchInfo b) {
            completed.add(b);
          }
        });
    t.queue(List.of(List.of(1, 2, 3), List.of())).count().print();
    t.runBatches(2);
    assertEquals(2, submitted.size());
    assertEquals(-1, submitted.get(0).processingStartTime());
    assertEquals(3, completed.get(0).numRecords());
    assertEquals(0, completed.get(1).numRecords());
    BatchInfo first = completed.get(0);
    assertEquals(1000, first.batchTime());
    assertEquals(first.schedulingDelay() + first.processingDelay(), first.totalDelay());
    assertTrue(first.schedulingDelay() >= 0 && first.processingDelay() >= 0);
  }

  @Test
  void listenersHearOnceThatTheContextStoppedAfterItsLastBatch() {
    List<String> events = new CopyOnWriteArrayList<>();
    t.ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo b) {
            events.add("completed " + b.batchTime());
          }

          @Override
          public void onStreamingStopped() {
            events.add("stopped on " + Thread.currentThread().getName());
          }
        });
    t.queue(List.of(List.of(1))).print();
    t.runBatches(2);
    assertEquals(List.of("completed 1000", "completed 2000"), events);

    t.ssc.stop(false);
    t.ssc.stop(false);

    assertEquals(
        List.of(
            "completed 1000", "completed 2000", "stopped on " + Thread.currentThread().getName()),
        events);
  }

  @Test
  void operationsAfterStartAreRefusedWithTheRule() {
    DStream<Integer> s = t.queue(List.of());
    s.print();
    t.runBatches(1);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.map(x -> x));
    assertTrue(
        e.getMessage().contains("operations must be defined before start()"), e.getMessage());
    assertThrows(IllegalStateException.class, s::print);
    assertThrows(
        IllegalStateException.class,
        () -> t.ssc.queueStream(new ConcurrentLinkedQueue<List<Integer>>()));
    assertThrows(IllegalStateException.class, t.ssc::start);
  }

  @Test
  void aStoppedContextCannotBeRestarted() {
    t.queue(List.of()).print();
    t.runBatches(1);
    t.ssc.stop(false);
    assertEquals(StreamingContext.State.STOPPED, t.ssc.state());
    IllegalStateException e = assertThrows(IllegalStateException.class, t.ssc::start);
    assertTrue(e.getMessage().contains("cannot be restarted"), e.getMessage());
  }

  @Test
  void onlyOneContextMayBeActiveInAJvm() {
    t.queue(List.of()).print();
    t.runBatches(1);
    try (TestingStreams second = new TestingStreams()) {
      second.queue(List.of()).print();
      IllegalStateException e = assertThrows(IllegalStateException.class, second.ssc::start);
      assertTrue(e.getMessage().contains("already active"), e.getMessage());
    }
    t.ssc.stop(false);
    try (TestingStreams third = new TestingStreams()) {
      third.queue(List.of(List.of(1))).print();
      third.runBatches(1);
      assertEquals(StreamingContext.State.ACTIVE, third.ssc.state());
    }
  }

  @Test
  void aGraphWithoutOutputOperationIsRefused() {
    t.queue(List.of()).map(x -> x);
    IllegalStateException e = assertThrows(IllegalStateException.class, t.ssc::start);
    assertTrue(e.getMessage().contains("no output operation"), e.getMessage());
  }

  @Test
  void badSettingsNameTheValueAndTheRule() {
    IllegalArgumentException master =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StreamingContext("spark://x:7077", "app", Durations.seconds(1)));
    assertTrue(master.getMessage().contains("spark://x:7077"), master.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new StreamingContext("local[2]", "app", Durations.milliseconds(0)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new StreamingContext("local[2]", " ", Durations.seconds(1)));
    String conf = refusedConf("millrace.default.parallelism", "zero");
    assertTrue(conf.contains("millrace.default.parallelism=zero"), conf);
    String misspelt = refusedConf("millrace.default.paralelism", "4");
    assertTrue(
        misspelt.contains("millrace.default.paralelism is not a Millrace setting"), misspelt);
    assertThrows(IllegalArgumentException.class, () -> t.queue(List.of()).repartition(0));
    assertThrows(IllegalArgumentException.class, () -> t.ssc.socketTextStream("localhost", 70000));
  }

  private static String refusedConf(String key, String value) {
    return assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamingContext.builder()
                    .appName("a")
                    .batchInterval(Durations.seconds(1))
                    .conf(key, value)
                    .build())
        .getMessage();
  }

  @Test
  void aFailingFunctionStopsTheContextAndAwaitTerminationNamesTheBatch() throws Exception {
    t.queue(List.of(List.of(1), List.of(0), List.of(2)))
        .map(x -> 10 / x)
        .foreachBatch(Batch::collect);
    t.start();
    t.clock.setTime(1000);
    t.clock.setTime(2000);
    StreamingException e = assertThrows(StreamingException.class, t.ssc::awaitTermination);
    assertTrue(e.getMessage().contains("batch 2000"), e.getMessage());
    assertTrue(e.getMessage().contains("foreachBatch"), e.getMessage());
    assertTrue(hasCause(e, ArithmeticException.class), "the user's exception is the cause");
    assertEquals(StreamingContext.State.STOPPED, t.ssc.state());
  }

  private static boolean hasCause(Throwable e, Class<?> type) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void gracefulStopFinishesEveryQueuedBatch() throws Exception {
    List<Long> done = new CopyOnWriteArrayList<>();
    t.queue(List.of(List.of(1), List.of(2), List.of(3)))
        .foreachBatch(
            b -> {
              sleep(100);
              done.add(b.time());
            });
    t.start();
    t.clock.setTime(3000);
    waitFor(() -> done.size() >= 1);
    t.ssc.stop(true);
    assertEquals(List.of(1000L, 2000L, 3000L), done, "queued batches run before the stop returns");
    assertTrue(t.ssc.awaitTerminationOrTimeout(1));
  }

  @Test
  void stopCalledFromAnOutputFunctionStopsAfterThatBatch() throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    t.queue(List.of(List.of(1), List.of(2), List.of(3)))
        .foreachBatch(
            b -> {
              seen.add(b.time());
              if (b.time() == 2000) {
                t.ssc.stop(true);
              }
            });
    t.start();
    t.clock.setTime(2000);
    assertTrue(t.ssc.awaitTerminationOrTimeout(10_000), "the context stopped");
    assertEquals(List.of(1000L, 2000L), seen);
  }

  @Test
  void awaitTerminationOrTimeoutReturnsFalseWhileRunning() throws Exception {
    t.queue(List.of()).print();
    t.runBatches(1);
    assertFalse(t.ssc.awaitTerminationOrTimeout(20));
  }

  @Test
  void memoryStaysFlatOverThousandsOfBatchesWithWindowsAndState() {
    ConcurrentLinkedQueue<List<String>> q = new ConcurrentLinkedQueue<>();
    DStream<String> words = t.ssc.queueStream(q, true);
    PairDStream<String, Integer> pairs = words.mapToPair(w -> Pair.of(w, 1));
    pairs
        .updateStateByKey(
            (List<Integer> v, Optional<Integer> s) -> Optional.of(s.orElse(0) + v.size()))
        .count()
        .foreachBatch(Batch::collect);
    pairs
        .reduceByKeyAndWindow(
            Integer::sum, (a, b) -> a - b, Durations.seconds(5), Durations.seconds(1))
        .foreachBatch(Batch::collect);
    words
        .window(Durations.seconds(3), Durations.seconds(3))
        .countByValue()
        .foreachBatch(Batch::collect);
    List<Integer> retained = new ArrayList<>();
    for (int b = 0; b < 2000; b++) {
      q.add(List.of("a" + (b % 50), "b"));
      t.runBatches(1);
      if (b % 100 == 99) {
        retained.add(Contexts.engine(t.ssc).graph().retainedBatches());
      }
    }
    int first = retained.get(0);
    for (int r : retained) {
      assertEquals(first, r, "retained batch datasets over the run: " + retained);
    }
    assertTrue(first < 60, "retained " + first);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      sleep(5);
    }
  }
}
