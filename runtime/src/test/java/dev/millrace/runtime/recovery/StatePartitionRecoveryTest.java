package dev.millrace.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.checkpoint.Generation;
import dev.millrace.runtime.checkpoint.StateParts;
import dev.millrace.runtime.codec.RecordCodec;
import dev.millrace.runtime.stream.PartitionedState;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.stream.StreamNode;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.PairDStream;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition rebuilt from the checkpoint directory alone, in a graph of its own, equals that
 * partition of the state the running application held: what an executor taking over a lost owner's
 * partition relies on.
 */
class StatePartitionRecoveryTest {
  private static final int PARTITIONS = 3;
  private static final RecordCodec CODEC = RecordCodec.standard();

  @TempDir Path dir;
  private final TaskRunner runner = new TaskRunner(2, "state-partition-recovery-test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  /**
   * Over a queue of words, in {@value #PARTITIONS} partitions: running counts ({@code totals}),
   * counts over 3 s sliding by 1 s ({@code windows}) and over 3 s sliding by 2 s ({@code
   * everyOther}), each kept by batch time.
   */
  private static void define(StreamingContext ssc, Queue<List<String>> words, Outputs outputs) {
    define(ssc, words, outputs, PARTITIONS);
  }

  /** As above, with the states in {@code partitions} partitions. */
  private static void define(
      StreamingContext ssc, Queue<List<String>> words, Outputs outputs, int partitions) {
    var ones = ssc.queueStream(words, true).mapToPair(w -> Pair.of(w, 1));
    keep(
        ones.updateStateByKey(
            (List<Integer> counts, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + counts.size()),
            partitions),
        outputs.totals());
    keep(
        ones.reduceByKeyAndWindow(
            Integer::sum,
            (a, b) -> a - b,
            Durations.seconds(3),
            Durations.seconds(1),
            partitions,
            null),
        outputs.windows());
    keep(
        ones.reduceByKeyAndWindow(
            Integer::sum,
            (a, b) -> a - b,
            Durations.seconds(3),
            Durations.seconds(2),
            partitions,
            null),
        outputs.everyOther());
  }

  private static void keep(
      PairDStream<String, Integer> stream, Map<Long, Map<Object, Object>> into) {
    stream.foreachBatch(
        b -> {
          Map<Object, Object> all = new TreeMap<>();
          b.collect().forEach(p -> all.put(p.key(), p.value()));
          into.put(b.time(), all);
        });
  }

  private record Outputs(
      Map<Long, Map<Object, Object>> totals,
      Map<Long, Map<Object, Object>> windows,
      Map<Long, Map<Object, Object>> everyOther) {
    Outputs() {
      this(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    }
  }

  private StreamingContext context(ManualClock clock) {
    return StreamingContext.builder()
        .master("local[2]")
        .appName("recovery")
        .batchInterval(Durations.seconds(1))
        .clock(clock)
        .conf("millrace.checkpoint.dir", dir.resolve("checkpoint").toString())
        .conf("millrace.checkpoint.interval", "3s")
        .build();
  }

  /** Runs batches 1 s to 8 s, checkpoints at 3 s and 6 s, then stops without a final one. */
  private long run(Outputs outputs) throws InterruptedException {
    Queue<List<String>> words = new ArrayDeque<>();
    for (int k = 1; k <= 8; k++) {
      words.add(words(k));
    }
    return runBatches(words, outputs, 0, 8000);
  }

  private static List<String> words(int k) {
    return List.of("a", "b" + k % 2, "c" + k % 3, "a", "d" + k);
  }

  /**
   * Runs the application on a clock starting at {@code from}, fresh or recovered from the
   * checkpoint, until batch {@code to} completes, then stops without a final checkpoint.
   */
  private long runBatches(Queue<List<String>> words, Outputs outputs, long from, long to)
      throws InterruptedException {
    ManualClock clock = new ManualClock(from);
    StreamingContext ssc = context(clock);
    define(ssc, words, outputs);
    List<Long> completed = new CopyOnWriteArrayList<>();
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.add(batch.batchTime());
          }
        });
    ssc.start();
    for (long t = from + 1000; t <= to; t += 1000) {
      clock.setTime(t);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!completed.contains(t) && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      assertTrue(completed.contains(t), "batch " + t + " did not complete: " + completed);
    }
    long zeroTime = Contexts.engine(ssc).graph().zeroTime();
    ssc.stop(false);
    return zeroTime;
  }

  /** The same application's graph, defined again as an executor would: no history. */
  private static StreamGraph executorGraph(long zeroTime) {
    return executorGraph(zeroTime, PARTITIONS);
  }

  /** As above, its states in {@code partitions} partitions. */
  private static StreamGraph executorGraph(long zeroTime, int partitions) {
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("recovery")
            .batchInterval(Durations.seconds(1))
            .build();
    define(ssc, new ArrayDeque<>(), new Outputs(), partitions);
    StreamGraph graph = Engine.graphOf(Contexts.description(ssc));
    graph.start(zeroTime);
    graph.keepNoHistory();
    return graph;
  }

  private CheckpointStore store() {
    return new CheckpointStore(dir.resolve("checkpoint").toString(), new Configuration(), 2);
  }

  /**
   * Every partition of the {@code which}-th partitioned state of the graph as of {@code asOf}, each
   * rebuilt in a graph of its own, as the stream shows it (a window's value without its count of
   * batches).
   */
  private Map<Object, Object> recoverAll(long zeroTime, int which, long asOf) {
    return recoverAll(zeroTime, which, asOf, PARTITIONS);
  }

  /** As above, by a build whose states have {@code partitions} partitions. */
  private Map<Object, Object> recoverAll(long zeroTime, int which, long asOf, int partitions) {
    Map<Object, Object> all = new TreeMap<>();
    for (int p = 0; p < partitions; p++) {
      StreamGraph graph = executorGraph(zeroTime, partitions);
      PartitionedState state =
          (PartitionedState)
              graph.nodes().stream()
                  .filter(n -> n instanceof PartitionedState)
                  .skip(which)
                  .findFirst()
                  .orElseThrow();
      Map<Object, Object> partition =
          new StatePartitionRecovery(store(), graph, runner).recover(state.id(), p, asOf);
      for (Map.Entry<Object, Object> e : partition.entrySet()) {
        assertEquals(p, state.partitioner().partition(e.getKey()), e + " is in partition " + p);
        all.put(e.getKey(), e.getValue() instanceof Pair<?, ?> acc ? acc.key() : e.getValue());
      }
    }
    return all;
  }

  @Test
  void aStatePartitionRebuiltFromTheNewestGenerationAndTheLogEqualsTheRunsState() throws Exception {
    Outputs outputs = new Outputs();
    long zeroTime = run(outputs);

    // Generation 6 s, then batches 7 s and 8 s replayed from their plans.
    assertEquals(outputs.totals().get(8000L), recoverAll(zeroTime, 0, 8000));
    assertEquals(outputs.totals().get(7000L), recoverAll(zeroTime, 0, 7000));
    // Generation 6 s alone.
    assertEquals(outputs.totals().get(6000L), recoverAll(zeroTime, 0, 6000));
  }

  @Test
  void aWindowPartitionRebuiltFromTheNewestGenerationAndTheLogEqualsTheRunsWindow()
      throws Exception {
    Outputs outputs = new Outputs();
    long zeroTime = run(outputs);

    assertEquals(outputs.windows().get(8000L), recoverAll(zeroTime, 1, 8000));
    assertEquals(outputs.windows().get(6000L), recoverAll(zeroTime, 1, 6000));
    // Sliding by 2 s: the window at 8 s leaves batches 5 s and 6 s, kept by generation 6 s.
    assertEquals(outputs.everyOther().get(8000L), recoverAll(zeroTime, 2, 8000));
  }

  @Test
  void aBatchWhosePlanWasDeletedIsRebuiltWithEmptyInputAsTheDriversRecoveryRunsIt()
      throws Exception {
    Outputs outputs = new Outputs();
    long zeroTime = run(outputs);
    Files.delete(dir.resolve("checkpoint/batches/00000000000000007000.plan"));

    Map<Object, Object> withoutBatchSeven = new TreeMap<>(outputs.totals().get(8000L));
    for (String word : words(7)) {
      withoutBatchSeven.merge(word, -1, (a, b) -> (Integer) a + (Integer) b);
    }
    withoutBatchSeven.values().removeIf(count -> count.equals(0));

    assertEquals(withoutBatchSeven, recoverAll(zeroTime, 0, 8000));
  }

  /**
   * Rewrites the newest generation (6 s) as executors owning the running count would have written
   * it: each partition in a part of its own, the generation holding a reference to them.
   */
  private void ownersWroteTheRunningCount(long zeroTime) {
    CheckpointStore store = store();
    Generation newest = store.latestValid().orElseThrow();
    assertEquals(6000, newest.batchTime());
    PartitionedState state = (PartitionedState) stateNodes(executorGraph(zeroTime)).get(0);
    List<List<Object>> byPartition = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      byPartition.add(new ArrayList<>());
    }
    for (Object record : CODEC.decode(newest.files().get("state-0"))) {
      byPartition.get(state.partitioner().partition(((Pair<?, ?>) record).key())).add(record);
    }
    List<CheckpointStore.StatePart> parts = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      parts.add(store.writeStatePart(6000, state.id(), p, CODEC.encode(byPartition.get(p))));
    }
    Map<String, byte[]> files = new TreeMap<>(newest.files());
    files.put("state-0", CODEC.encode(List.of(StateParts.reference(6000, state.id(), parts))));
    store.writeGeneration(6000, files);
  }

  private void damagePartOne(long zeroTime) {
    int node = ((PartitionedState) stateNodes(executorGraph(zeroTime)).get(0)).id();
    store().writeStatePart(6000, node, 1, CODEC.encode(List.of()));
  }

  private static List<StreamNode<?>> stateNodes(StreamGraph graph) {
    return graph.nodes().stream().filter(n -> n instanceof PartitionedState).toList();
  }

  @Test
  void partsWrittenByOwnersAreReadAndADamagedOneFallsBackToTheOlderGeneration() throws Exception {
    Outputs outputs = new Outputs();
    long zeroTime = run(outputs);
    ownersWroteTheRunningCount(zeroTime);

    assertEquals(outputs.totals().get(8000L), recoverAll(zeroTime, 0, 8000), "from the parts");

    damagePartOne(zeroTime);
    // Partition 1 comes from generation 3 s and batches 4 s to 8 s instead.
    assertEquals(outputs.totals().get(8000L), recoverAll(zeroTime, 0, 8000), "after the fall back");
  }

  @Test
  void partsWrittenByOwnersOfAnotherPartitionCountAreReadWholeByABuildWithMoreOrFewer()
      throws Exception {
    Outputs outputs = new Outputs();
    long zeroTime = run(outputs);
    ownersWroteTheRunningCount(zeroTime);

    // The application restarted with millrace.default.parallelism raised or lowered: its keys
    // lie in other parts than the ones of the same numbers.
    assertEquals(outputs.totals().get(8000L), recoverAll(zeroTime, 0, 8000, PARTITIONS + 2));
    assertEquals(outputs.totals().get(8000L), recoverAll(zeroTime, 0, 8000, PARTITIONS - 1));
  }

  @Test
  void aRestartedDriverFallsBackPastAGenerationWithADamagedPartAndLosesNothing() throws Exception {
    Outputs first = new Outputs();
    long zeroTime = run(first);
    ownersWroteTheRunningCount(zeroTime);
    damagePartOne(zeroTime);

    Outputs second = new Outputs();
    Queue<List<String>> next = new ArrayDeque<>(List.of(words(9)));
    runBatches(next, second, 8000, 9000);

    Map<Object, Object> expected = new TreeMap<>(first.totals().get(8000L));
    for (String word : words(9)) {
      expected.merge(word, 1, (a, b) -> (Integer) a + (Integer) b);
    }
    assertEquals(expected, second.totals().get(9000L));
  }

  @Test
  void aBatchTheLogDoesNotReachCannotBeRebuiltAndSaysWhy() throws Exception {
    long zeroTime = run(new Outputs());

    CheckpointIncompatibleException late =
        assertThrows(CheckpointIncompatibleException.class, () -> recoverAll(zeroTime, 0, 9000));
    assertTrue(late.getMessage().contains("ends before batch 9000"), late.getMessage());
  }

  @Test
  void aBatchBeforeTheNewestGenerationIsRebuiltFromAnOlderOne() throws Exception {
    Outputs outputs = new Outputs();
    long zeroTime = run(outputs);

    // Generation 6 s is newer than batch 5 s: generation 3 s, then batches 4 s and 5 s.
    assertEquals(outputs.totals().get(5000L), recoverAll(zeroTime, 0, 5000));
  }
}
