package dev.millrace.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.recovery.CheckpointIncompatibleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver recovery through the public API: an application checkpoints, its driver dies in the middle
 * of a batch, and the same code started again resumes from the checkpoint with nothing lost and
 * nothing twice.
 */
class RecoveryTest {
  @TempDir Path dir;

  private String checkpoint() {
    return dir.resolve("checkpoint").toString();
  }

  // ------------------------------------------------------------ the seed's recovery table

  @Test
  void driverFailingDuringBatchFourAndBackAtSevenOutputsEveryFileOnceInOrder() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> outputs = new CopyOnWriteArrayList<>();

    try (TestingRun first = lineCounts(in, 0, outputs, 4000)) {
      first.ssc.start();
      for (int k = 1; k <= 3; k++) {
        writeLines(in, k, 10 * k);
        first.runUntil(k * 1000L);
      }
      writeLines(in, 4, 40);
      first.crashAt(4000);
    }
    assertEquals(List.of("1000:10", "2000:20", "3000:30"), outputs);

    // Down from during t=4 until t=7: files keep arriving.
    for (int k = 5; k <= 7; k++) {
      writeLines(in, k, 10 * k);
    }
    try (TestingRun second = lineCounts(in, 7000, outputs, -1)) {
      second.runUntil(7000);
      writeLines(in, 8, 80);
      second.runUntil(8000);
      writeLines(in, 9, 90);
      second.runUntil(9000);
    }

    assertEquals(
        List.of(
            "1000:10", "2000:20", "3000:30", "4000:40", "5000:50", "6000:60", "7000:70", "8000:80",
            "9000:90"),
        outputs);
  }

  @Test
  void downTimeBatchesOfAStatelessGraphCanRunAsOneBatch() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> outputs = new CopyOnWriteArrayList<>();
    Map<String, String> coalesce = Map.of("millrace.recovery.coalesce-downtime-batches", "true");
    try (TestingRun first = lineCounts(in, 0, outputs, 3000, coalesce)) {
      first.ssc.start();
      for (int k = 1; k <= 2; k++) {
        writeLines(in, k, 10 * k);
        first.runUntil(k * 1000L);
      }
      writeLines(in, 3, 30);
      first.crashAt(3000);
    }
    for (int k = 4; k <= 7; k++) {
      writeLines(in, k, 10 * k);
    }
    try (TestingRun second = lineCounts(in, 7000, outputs, -1, coalesce)) {
      second.runUntil(7000);
      writeLines(in, 8, 80);
      second.runUntil(8000);
      assertEquals(List.of(3000L, 7000L, 8000L), second.completed);
    }

    // Batch 3 re-runs with its logged file; files 4 to 7 arrived while down and form one batch.
    assertEquals(List.of("1000:10", "2000:20", "3000:30", "7000:220", "8000:80"), outputs);
  }

  private TestingRun lineCounts(Path in, long now, List<String> outputs, long failAt) {
    return lineCounts(in, now, outputs, failAt, Map.of());
  }

  private TestingRun lineCounts(
      Path in, long now, List<String> outputs, long failAt, Map<String, String> conf) {
    TestingRun run = new TestingRun(checkpoint(), now, b -> b.conf(conf));
    run.ssc
        .textFileStream(in.toString())
        .count()
        .foreachBatch(
            b -> {
              if (b.time() == failAt) {
                throw new IllegalStateException("driver dies during batch " + failAt);
              }
              outputs.add(b.time() + ":" + b.collect().get(0));
            });
    return run;
  }

  /** File {@code k} with {@code lines} lines, last modified half a second before batch k. */
  private static void writeLines(Path in, int k, int lines) throws IOException {
    Path staging = in.resolveSibling("staging-" + k);
    Files.write(
        staging,
        IntStream.range(0, lines).mapToObj(i -> "line " + i).toList(),
        StandardCharsets.UTF_8);
    Files.setLastModifiedTime(staging, FileTime.fromMillis(k * 1000L - 500));
    Files.move(staging, in.resolve("file-" + k));
  }

  // ------------------------------------------------------------ state and windows

  /** Word batches for the stateful tests: batch k holds "w0".."w(k%4)" and "k" k%3+1 times. */
  static List<List<String>> words(int batches) {
    List<List<String>> all = new ArrayList<>();
    for (int k = 1; k <= batches; k++) {
      List<String> batch = new ArrayList<>();
      for (int i = 0; i <= k % 4; i++) {
        batch.add("w" + i);
      }
      batch.addAll(Collections.nCopies(k % 3 + 1, "k"));
      all.add(batch);
    }
    return all;
  }

  /** Running counts, a windowed count with an inverse function and a plain window, as text. */
  static void statefulGraph(
      StreamingContext ssc, Queue<List<String>> queue, List<String> out, long failAt) {
    PairDStream<String, Integer> pairs =
        PairDStream.of(ssc.queueStream(queue, true).mapToPair(w -> Pair.of(w, 1)));
    record(
        pairs.updateStateByKey(
            (List<Integer> values, Optional<Integer> state) ->
                Optional.of(state.orElse(0) + values.stream().mapToInt(i -> i).sum())),
        "state",
        out,
        failAt);
    record(
        pairs.reduceByKeyAndWindow(
            Integer::sum, (a, b) -> a - b, Durations.seconds(3), Durations.seconds(1)),
        "inverse",
        out,
        failAt);
    record(
        pairs.window(Durations.seconds(4), Durations.seconds(2)).reduceByKey(Integer::sum),
        "window",
        out,
        failAt);
  }

  private static void record(
      DStream<Pair<String, Integer>> stream, String name, List<String> out, long failAt) {
    stream.foreachBatch(
        b -> {
          if (b.time() == failAt) {
            throw new IllegalStateException("driver dies during batch " + failAt);
          }
          TreeMap<String, Integer> sorted = new TreeMap<>();
          b.collect().forEach(p -> sorted.put(p.key(), p.value()));
          out.add(b.time() + " " + name + " " + sorted);
        });
  }

  private List<String> failureFree(int batches) {
    return failureFree(batches, dir.resolve("clean").toString());
  }

  /** The outputs of the stateful graph over {@code batches} batches without a failure. */
  static List<String> failureFree(int batches, String checkpoint) {
    List<String> out = new CopyOnWriteArrayList<>();
    Queue<List<String>> queue = new ConcurrentLinkedQueue<>(words(batches));
    try (TestingRun run = new TestingRun(checkpoint, 0, b -> b.conf(fourBatchCheckpoints()))) {
      statefulGraph(run.ssc, queue, out, -1);
      for (int k = 1; k <= batches; k++) {
        run.runUntil(k * 1000L);
      }
    }
    return out;
  }

  static Map<String, String> fourBatchCheckpoints() {
    return Map.of("millrace.checkpoint.interval", "4s");
  }

  @Test
  void stateAndWindowsAfterACrashEqualAFailureFreeRun() throws Exception {
    List<String> out = crashInBatchSevenThenRecover(checkpoint(), () -> {});

    assertEquals(failureFree(10), out);
  }

  /**
   * Runs the stateful graph over 10 batches of words with generations at 0 and 4000; the driver
   * dies in batch 7, after 5 and 6 completed, and {@code whileDown} runs before the restart.
   *
   * @return every output line of both runs
   */
  static List<String> crashInBatchSevenThenRecover(String checkpoint, WhileDown whileDown)
      throws Exception {
    List<List<String>> words = words(10);
    List<String> out = new CopyOnWriteArrayList<>();
    Queue<List<String>> queue = new ConcurrentLinkedQueue<>(words);
    try (TestingRun first = new TestingRun(checkpoint, 0, b -> b.conf(fourBatchCheckpoints()))) {
      statefulGraph(first.ssc, queue, out, 7000);
      for (int k = 1; k <= 6; k++) {
        first.runUntil(k * 1000L);
      }
      first.crashAt(7000);
    }
    whileDown.run();
    // Batch 7's records went into the batch log; the restarted driver's queue holds the rest.
    Queue<List<String>> rest = new ConcurrentLinkedQueue<>(words.subList(7, 10));
    try (TestingRun second =
        new TestingRun(checkpoint, 7000, b -> b.conf(fourBatchCheckpoints()))) {
      statefulGraph(second.ssc, rest, out, -1);
      for (int k = 7; k <= 10; k++) {
        second.runUntil(k * 1000L);
      }
      // 5 and 6 were replayed for their state only: their outputs ran once, before the crash.
      assertEquals(List.of(7000L, 8000L, 9000L, 10000L), second.completed);
    }
    return out;
  }

  /**
   * A driver killed again and again before it reaches a batch of its own never wrote a generation
   * while it only replayed, so every restart replayed everything since the last one and the backlog
   * grew with each kill. A recovery whose replays pass a checkpoint time now writes one after the
   * last of them.
   */
  @Test
  void aRecoveryThatReplaysPastACheckpointTimeWritesAGenerationSoTheNextRestartStartsThere()
      throws Exception {
    List<List<String>> words = words(10);
    List<String> out = new CopyOnWriteArrayList<>();
    try (TestingRun first = new TestingRun(checkpoint(), 0, b -> b.conf(fourBatchCheckpoints()))) {
      statefulGraph(first.ssc, new ConcurrentLinkedQueue<>(words), out, 8000);
      for (int k = 1; k <= 7; k++) {
        first.runUntil(k * 1000L);
      }
      // Batch 8, a checkpoint time, is logged but never completes: no generation at 8000.
      first.crashAt(8000);
    }
    List<Long> secondGenerations = new CopyOnWriteArrayList<>();
    try (TestingRun second =
        new TestingRun(checkpoint(), 8000, b -> b.conf(fourBatchCheckpoints()))) {
      statefulGraph(second.ssc, new ConcurrentLinkedQueue<>(words.subList(8, 10)), out, 9000);
      second.ssc.addStreamingListener(checkpoints(secondGenerations));
      second.runUntil(8000);
      second.crashAt(9000);
    }
    List<Long> thirdGenerations = new CopyOnWriteArrayList<>();
    try (TestingRun third =
        new TestingRun(checkpoint(), 9000, b -> b.conf(fourBatchCheckpoints()))) {
      statefulGraph(third.ssc, new ConcurrentLinkedQueue<>(words.subList(9, 10)), out, -1);
      third.ssc.addStreamingListener(checkpoints(thirdGenerations));
      third.runUntil(9000);
      third.runUntil(10000);
      assertEquals(List.of(9000L, 10000L), third.completed);
    }

    // The second driver restored 4000, replayed 5 to 8 and wrote 8000 after the replay of 8.
    assertEquals(List.of(4000L, 8000L), secondGenerations);
    // The third restored 8000 (not 4000) and replayed only batch 9.
    assertEquals(8000L, thirdGenerations.get(0));
    assertEquals(failureFree(10), out);
  }

  @Test
  void listenersHearOfEachGenerationWrittenAndOfTheOneARecoveryRestores() throws Exception {
    List<Long> first = new CopyOnWriteArrayList<>();
    try (TestingRun run = new TestingRun(checkpoint(), 0, b -> b.conf(fourBatchCheckpoints()))) {
      run.ssc.queueStream(new ConcurrentLinkedQueue<List<Integer>>()).foreachBatch(Batch::count);
      run.ssc.addStreamingListener(checkpoints(first));
      for (int k = 1; k <= 6; k++) {
        run.runUntil(k * 1000L);
      }
      run.ssc.stop(true);
    }
    // The zero time of the fresh start, every four batches, and the graceful stop's final one.
    assertEquals(List.of(0L, 4000L, 6000L), first);

    List<Long> second = new CopyOnWriteArrayList<>();
    try (TestingRun run = new TestingRun(checkpoint(), 6000, b -> b.conf(fourBatchCheckpoints()))) {
      run.ssc.queueStream(new ConcurrentLinkedQueue<List<Integer>>()).foreachBatch(Batch::count);
      run.ssc.addStreamingListener(checkpoints(second));
      run.runUntil(7000);
      run.runUntil(8000);
    }
    assertEquals(List.of(6000L, 8000L), second);
  }

  private static StreamingListener checkpoints(List<Long> into) {
    return new StreamingListener() {
      @Override
      public void onCheckpointCompleted(long batchTime) {
        into.add(batchTime);
      }
    };
  }

  /** What happens to the checkpoint while the driver is down. */
  interface WhileDown {
    void run() throws IOException;
  }

  @Test
  void damagedNewestGenerationFallsBackToTheOlderOneAndReplaysTheLog() throws Exception {
    List<String> out =
        crashInBatchSevenThenRecover(
            checkpoint(),
            () -> {
              try (Stream<Path> files = Files.list(generation(4000))) {
                Path state =
                    files
                        .filter(f -> f.getFileName().toString().startsWith("state-"))
                        .findFirst()
                        .orElseThrow();
                byte[] bytes = Files.readAllBytes(state);
                bytes[bytes.length / 2] ^= 0x5a;
                Files.write(state, bytes);
              }
            });

    assertEquals(failureFree(10), out);
  }

  private Path generation(long time) throws IOException {
    try (Stream<Path> gens = Files.list(dir.resolve("checkpoint").resolve("generations"))) {
      return gens.filter(g -> g.getFileName().toString().equals(String.format("%020d", time)))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no generation " + time));
    }
  }

  // ------------------------------------------------------------ code changes

  @Test
  void aNewBuildWithDifferentStatelessOperatorsResumesTheState() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    Queue<List<String>> queue = new ConcurrentLinkedQueue<>(words(3));
    try (TestingRun first = new TestingRun(checkpoint(), 0, b -> {})) {
      runningCounts(first.ssc.queueStream(queue, true), out);
      for (int k = 1; k <= 3; k++) {
        first.runUntil(k * 1000L);
      }
      first.ssc.stop(true);
    }
    out.clear();

    Queue<List<String>> next = new ConcurrentLinkedQueue<>(List.of(List.of("K", "W0")));
    try (TestingRun second = new TestingRun(checkpoint(), 3000, b -> {})) {
      // The new build lower-cases words and filters nothing out: a stateless change.
      runningCounts(second.ssc.queueStream(next, true).map(w -> w.toLowerCase()), out);
      second.runUntil(4000);
    }

    // After 3 batches: k 2+3+1 = 6 times, w0 3 times; the new batch adds one each.
    assertEquals(List.of("4000 {k=7, w0=4, w1=3, w2=2, w3=1}"), out);
  }

  private static void runningCounts(DStream<String> words, List<String> out) {
    words
        .mapToPair(w -> Pair.of(w, 1))
        .updateStateByKey(
            (List<Integer> values, Optional<Integer> state) ->
                Optional.of(state.orElse(0) + values.size()))
        .foreachBatch(
            b ->
                out.add(
                    b.time()
                        + " "
                        + new TreeMap<>(
                            b.collect().stream()
                                .collect(Collectors.toMap(Pair::key, Pair::value)))));
  }

  @Test
  void aNewBuildWithAnotherStatefulOperatorIsRefusedNamingTheDifference() throws Exception {
    Queue<List<String>> queue = new ConcurrentLinkedQueue<>(words(2));
    try (TestingRun first = new TestingRun(checkpoint(), 0, b -> {})) {
      runningCounts(first.ssc.queueStream(queue, true), new ArrayList<>());
      first.runUntil(1000);
      first.ssc.stop(true);
    }

    try (TestingRun second = new TestingRun(checkpoint(), 2000, b -> {})) {
      second
          .ssc
          .queueStream(new ConcurrentLinkedQueue<List<String>>(), true)
          .window(Durations.seconds(2), Durations.seconds(1))
          .print();
      CheckpointIncompatibleException refused =
          assertThrows(CheckpointIncompatibleException.class, second.ssc::start);

      assertTrue(
          refused.getMessage().contains("'state updateStateByKey'")
              && refused.getMessage().contains("'state window(length=2000ms, slide=1000ms)'")
              && refused.getMessage().contains("start from an empty checkpoint directory"),
          refused.getMessage());
      assertEquals(StreamingContext.State.STOPPED, second.ssc.state());
    }
  }

  @Test
  void anotherBatchIntervalIsRefused() throws Exception {
    try (TestingRun first = new TestingRun(checkpoint(), 0, b -> {})) {
      runningCounts(
          first.ssc.queueStream(new ConcurrentLinkedQueue<>(words(1)), true), new ArrayList<>());
      first.runUntil(1000);
      first.ssc.stop(true);
    }

    try (TestingRun second =
        new TestingRun(checkpoint(), 2000, b -> b.batchInterval(Durations.seconds(2)))) {
      runningCounts(
          second.ssc.queueStream(new ConcurrentLinkedQueue<List<String>>(), true),
          new ArrayList<>());
      CheckpointIncompatibleException refused =
          assertThrows(CheckpointIncompatibleException.class, second.ssc::start);
      assertTrue(refused.getMessage().contains("batch interval of 1000 ms"), refused.getMessage());
    }
  }

  // ------------------------------------------------------------ graceful stop

  @Test
  void gracefulStopWritesAFinalCheckpointSoARestartReplaysNothing() throws Exception {
    List<String> out = new CopyOnWriteArrayList<>();
    try (TestingRun first = new TestingRun(checkpoint(), 0, b -> {})) {
      runningCounts(first.ssc.queueStream(new ConcurrentLinkedQueue<>(words(3)), true), out);
      for (int k = 1; k <= 3; k++) {
        first.runUntil(k * 1000L);
      }
      first.ssc.stop(true);
    }
    assertTrue(Files.isDirectory(generation(3000)), "a generation for the last batch, 3000");
    out.clear();

    try (TestingRun second = new TestingRun(checkpoint(), 3000, b -> {})) {
      runningCounts(
          second.ssc.queueStream(new ConcurrentLinkedQueue<>(List.of(List.of("k"))), true), out);
      second.runUntil(4000);
      assertEquals(List.of(4000L), second.completed);
    }
    assertEquals(List.of("4000 {k=7, w0=3, w1=3, w2=2, w3=1}"), out);
  }

  @Test
  void getOrCreateRefusesAFactoryCheckpointingElsewhere() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                StreamingContext.getOrCreate(
                    checkpoint(),
                    () -> {
                      StreamingContext c =
                          new StreamingContext("local[1]", "x", Durations.seconds(1));
                      c.checkpoint(dir.resolve("elsewhere").toString());
                      return c;
                    }));
    assertTrue(
        e.getMessage().contains("elsewhere") && e.getMessage().contains("same directory"),
        e.getMessage());
  }
}
