package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.launch.ExitCode;
import dev.millrace.runtime.source.InputMissingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application's own replayable source through the public {@link Source} API: batches read what
 * it planned, within the backpressure budget, and a recovery re-reads exactly the logged plans.
 */
class SourceTest {
  @TempDir Path dir;

  @Test
  void eachBatchReadsWhatTheSourcePlannedOnePartitionPerPart() {
    AtomicLong available = new AtomicLong(35);
    TestingNumbers numbers = new TestingNumbers(available, 10);
    Map<Long, List<Long>> batches = new ConcurrentSkipListMap<>();
    Map<Long, Integer> partitions = new ConcurrentSkipListMap<>();
    try (TestingRun run = new TestingRun(dir.resolve("cp").toString(), 0, b -> {})) {
      run.ssc.stream(numbers)
          .foreachBatch(
              b -> {
                partitions.put(b.time(), b.numPartitions());
                batches.put(b.time(), b.collect());
              });
      run.runUntil(1000);
      available.set(70);
      run.runUntil(2000);
      run.runUntil(3000);
    }

    assertEquals(range(0, 35), batches.get(1000L));
    assertEquals(range(35, 70), batches.get(2000L));
    assertEquals(List.of(), batches.get(3000L));
    assertEquals(4, partitions.get(1000L), "parts of 10 for 35 numbers");
    assertEquals(4, partitions.get(2000L));
  }

  @Test
  void aBatchPlansNoMoreThanTheBackpressureBudgetAndLaterBatchesReadTheRestInOrder() {
    AtomicLong available = new AtomicLong(100);
    TestingNumbers numbers = new TestingNumbers(available, 10);
    Map<Long, List<Long>> batches = new ConcurrentSkipListMap<>();
    try (TestingRun run =
        new TestingRun(
            dir.resolve("cp").toString(),
            0,
            b -> b.conf("millrace.backpressure.initial-rate", "20"))) {
      run.ssc.stream(numbers).foreachBatch(b -> batches.put(b.time(), b.collect()));
      for (long t = 1000; t <= 20_000 && total(batches) < 100; t += 1000) {
        run.runUntil(t);
      }
    }

    assertEquals(20L, numbers.budgets.get(0), "the initial rate times the 1 s interval");
    assertEquals(range(0, 20), batches.get(1000L));
    List<Long> all = new ArrayList<>();
    batches.values().forEach(all::addAll);
    assertEquals(range(0, 100), all, "every number once, in order, none dropped");
    for (int i = 0; i < numbers.planned.size(); i++) {
      long planned = numbers.planned.get(i).stream().mapToLong(p -> p[1] - p[0]).sum();
      assertTrue(
          planned <= numbers.budgets.get(i),
          "batch " + i + " planned " + planned + " over its budget " + numbers.budgets.get(i));
    }
  }

  @Test
  void eachPartIsReadOnceABatchAlsoWhenTheEngineCountsTheBatchsRecords() {
    AtomicLong available = new AtomicLong(35);
    TestingNumbers numbers = new TestingNumbers(available, 10);
    Map<Long, Long> counts = new ConcurrentSkipListMap<>();
    try (TestingRun run = new TestingRun(dir.resolve("cp").toString(), 0, b -> {})) {
      run.ssc.stream(numbers).foreachBatch(b -> counts.put(b.time(), b.count()));
      run.runUntil(1000);
      available.set(70);
      run.runUntil(2000);
    }

    assertEquals(Map.of(1000L, 35L, 2000L, 35L), counts);
    // 4 parts a batch, read by the output's tasks; counting the input for the status and for
    // backpressure takes their counts instead of reading the source again.
    assertEquals(8, numbers.partsRead.get());
  }

  @Test
  void backpressureFollowsTheProcessingRateMeasuredOnASourcesBatches() {
    AtomicLong available = new AtomicLong(40);
    TestingNumbers numbers = new TestingNumbers(available, 10);
    try (TestingRun run =
        new TestingRun(
            dir.resolve("cp").toString(),
            0,
            b -> b.conf("millrace.backpressure.initial-rate", "20"))) {
      // Each batch takes 100 ms of the manual clock: 20 numbers in 100 ms is 200 a second.
      run.ssc.stream(numbers).foreachBatch(b -> run.clock.setTime(b.time() + 100));
      for (long t = 1000; t <= 4000; t += 1000) {
        run.runUntil(t);
      }
    }

    assertEquals(List.of(20L, 20L), numbers.budgets.subList(0, 2), "the initial rate, then seeded");
    assertEquals(200L, numbers.budgets.get(3), "the measured rate, 200 a second, by batch 4");
  }

  /**
   * A source whose planning waits for its input (a broker that is down, retried until a timeout)
   * held the scheduler's lock, so a stop waited for the whole timeout and then ended as the
   * application's failure. The stop now ends the planning and the context stops without one.
   */
  @Test
  @Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aStopEndsAPlanThatWaitsForItsInputAndTheContextStopsWithoutFailure() throws Exception {
    CountDownLatch planning = new CountDownLatch(1);
    Source<Long, long[]> waiting =
        new Source<>() {
          public String name() {
            return "waiting";
          }

          public void start() {}

          public void recover(byte[] position, List<List<long[]>> plansSince) {}

          public List<long[]> plan(long batchTime, long maxRecords) {
            planning.countDown();
            try {
              Thread.sleep(Long.MAX_VALUE); // the input never answers
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted while waiting for the input", e);
            }
            return List.of();
          }

          public Iterator<Long> read(long[] part) {
            return LongStream.range(part[0], part[1]).iterator();
          }

          public byte[] position() {
            return new byte[0];
          }

          public byte[] encode(long[] part) {
            return new byte[0];
          }

          public long[] decode(byte[] part) {
            return new long[0];
          }
        };
    try (TestingRun run = new TestingRun(dir.resolve("cp").toString(), 0, b -> {})) {
      run.ssc.stream(waiting).foreachBatch(Batch::count);
      run.ssc.start();
      run.clock.setTime(1000);
      assertTrue(planning.await(30, TimeUnit.SECONDS), "batch 1000 was never planned");

      Thread stopper = new Thread(() -> run.ssc.stop(true), "graceful-stop");
      stopper.start();
      stopper.join(60_000);

      assertFalse(stopper.isAlive(), "the graceful stop waited for the planning to give up");
      assertEquals(StreamingContext.State.STOPPED, run.ssc.state());
      assertTrue(run.ssc.awaitTerminationOrTimeout(1), "stopped, and without a failure");
    }
  }

  @Test
  void afterACrashTheRecoveryReadsExactlyTheLoggedPlansThenContinuesAfterThem() throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    AtomicLong available = new AtomicLong();
    Map<Long, List<Long>> outputs = new TreeMap<>();
    TestingNumbers first = new TestingNumbers(available, 7);
    try (TestingRun run = numbersRun(checkpoint, 0, first, outputs, 4000)) {
      for (long t = 1000; t <= 3000; t += 1000) {
        available.addAndGet(25);
        run.runUntil(t);
      }
      available.addAndGet(25);
      run.crashAt(4000);
    }
    assertEquals(range(0, 75), flatten(outputs), "batches 1-3 before the crash");
    List<long[]> crashedPlan = first.planned.get(3);

    available.addAndGet(40); // arrives while the driver is down
    TestingNumbers second = new TestingNumbers(available, 7);
    try (TestingRun run = numbersRun(checkpoint, 6000, second, outputs, -1)) {
      run.runUntil(6000);
      available.addAndGet(10);
      run.runUntil(7000);
    }

    assertEquals(
        LongStream.range(crashedPlan.get(0)[0], crashedPlan.get(crashedPlan.size() - 1)[1])
            .boxed()
            .toList(),
        outputs.get(4000L),
        "the crashed batch re-reads its logged plan, not what exists now");
    assertEquals(range(75, 100), outputs.get(4000L));
    assertEquals(range(0, 150), flatten(outputs), "every number exactly once across the crash");
  }

  @Test
  void aPlanToReadAgainWhoseInputIsGoneStopsTheRecoveryWithTheSourcesMessage() throws Exception {
    String checkpoint = dir.resolve("checkpoint").toString();
    AtomicLong available = new AtomicLong();
    Map<Long, List<Long>> outputs = new TreeMap<>();
    try (TestingRun run =
        numbersRun(checkpoint, 0, new TestingNumbers(available, 7), outputs, 3000)) {
      for (long t = 1000; t <= 2000; t += 1000) {
        available.addAndGet(25);
        run.runUntil(t);
      }
      available.addAndGet(25);
      run.crashAt(3000); // batch 3000 planned 50 to 75
    }
    TestingNumbers second = new TestingNumbers(available, 7);
    second.retainedFrom.set(60); // retention deleted 50 to 59 while the driver was down

    InputMissingException missing;
    try (TestingRun run = numbersRun(checkpoint, 3000, second, outputs, -1)) {
      missing = assertThrows(InputMissingException.class, run.ssc::start);
    }

    assertEquals(ExitCode.INPUT_MISSING, ExitCode.restartCannotHelp(missing).orElseThrow());
    String message = missing.getMessage();
    assertTrue(
        message.startsWith("numbers 50 to 59 are deleted, but batch 3000 read them"), message);
    assertTrue(message.contains("its outputs had not committed"), message);
    assertTrue(message.contains("00000000000000003000.plan"), message);
  }

  @Test
  void theSourceHearsWhichPositionTheOldestCheckpointKeptHoldsOnceItIsCommitted() {
    AtomicLong available = new AtomicLong();
    TestingNumbers numbers = new TestingNumbers(available, 10);
    try (TestingRun run =
        new TestingRun(
            dir.resolve("cp").toString(),
            0,
            b ->
                b.conf(
                    Map.of(
                        "millrace.checkpoint.interval",
                        "2s",
                        "millrace.checkpoint.retain",
                        "2")))) {
      run.ssc.stream(numbers).foreachBatch(Batch::count);
      for (long t = 1000; t <= 6000; t += 1000) {
        available.addAndGet(10);
        run.runUntil(t);
      }
      // Generations 4000 and 6000 are kept: nothing before 4000's position is read again.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!numbers.committed.containsKey(4000L) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    }

    assertEquals(40L, numbers.committed.get(4000L), "the position after batch 4000's plan");
    assertEquals(numbers.positionAfter.get(4000L), numbers.committed.get(4000L));
    assertTrue(
        numbers.committed.keySet().stream().allMatch(t -> t <= 4000L),
        "only generations that became the oldest kept: " + numbers.committed);
  }

  /**
   * Records handed to the source in memory: each batch plans at most two, and what it holds when
   * the context stops gracefully is read by one last batch instead of being lost.
   */
  @Test
  void aGracefulStopRunsALastBatchForWhatTheSourceHoldsAndNothingNew() throws Exception {
    Mailbox mailbox = new Mailbox();
    List<String> read = new CopyOnWriteArrayList<>();
    try (TestingRun run = new TestingRun(dir.resolve("cp").toString(), 0, b -> {})) {
      run.ssc.stream(mailbox).foreachBatch(b -> read.addAll(b.collect()));
      mailbox.post("a", "b", "c", "d", "e");
      run.runUntil(1000);
      assertEquals(List.of("a", "b"), read);

      run.ssc.stop(true);
      assertTrue(run.ssc.awaitTerminationOrTimeout(20_000), "stopped without a failure");
    }

    assertEquals(List.of("a", "b", "c", "d", "e"), read, "the last batch read the held rest");
    assertEquals(1, mailbox.lastPlans.get(), "one last batch");
    assertFalse(mailbox.holdsUnplanned());
  }

  /** Holds posted records in memory; a batch plans at most two of them, the last batch the rest. */
  private static final class Mailbox implements Source<String, List<String>> {
    private final List<String> held = new ArrayList<>();
    final AtomicLong lastPlans = new AtomicLong();

    synchronized void post(String... records) {
      held.addAll(List.of(records));
    }

    public String name() {
      return "mailbox";
    }

    public void start() {}

    public void recover(byte[] position, List<List<List<String>>> plansSince) {}

    public synchronized List<List<String>> plan(long batchTime, long maxRecords) {
      return take(Math.min(2, maxRecords));
    }

    public synchronized boolean holdsUnplanned() {
      return !held.isEmpty();
    }

    public synchronized List<List<String>> planLast(long batchTime) {
      lastPlans.incrementAndGet();
      return take(Long.MAX_VALUE);
    }

    private List<List<String>> take(long most) {
      List<String> taken = new ArrayList<>(held.subList(0, (int) Math.min(most, held.size())));
      held.subList(0, taken.size()).clear();
      return taken.isEmpty() ? List.of() : List.of(taken);
    }

    public Iterator<String> read(List<String> part) {
      return part.iterator();
    }

    public byte[] position() {
      return new byte[0];
    }

    public byte[] encode(List<String> part) {
      return String.join("\n", part).getBytes(StandardCharsets.UTF_8);
    }

    public List<String> decode(byte[] part) {
      return List.of(new String(part, StandardCharsets.UTF_8).split("\n"));
    }
  }

  private static TestingRun numbersRun(
      String checkpoint,
      long now,
      TestingNumbers numbers,
      Map<Long, List<Long>> outputs,
      long failAt) {
    TestingRun run = new TestingRun(checkpoint, now, b -> {});
    run.ssc.stream(numbers)
        .foreachBatch(
            b -> {
              if (b.time() == failAt) {
                throw new IllegalStateException("driver dies during batch " + failAt);
              }
              List<Long> records = b.collect();
              synchronized (outputs) {
                outputs.put(b.time(), records);
              }
            });
    return run;
  }

  private static List<Long> range(long from, long until) {
    return LongStream.range(from, until).boxed().toList();
  }

  private static long total(Map<Long, List<Long>> batches) {
    return batches.values().stream().mapToLong(List::size).sum();
  }

  private static List<Long> flatten(Map<Long, List<Long>> outputs) {
    List<Long> all = new ArrayList<>();
    synchronized (outputs) {
      new TreeMap<>(outputs).values().forEach(all::addAll);
    }
    return all;
  }
}
