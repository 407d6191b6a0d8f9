package dev.millrace.runtime.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.checkpoint.CheckpointStore;
import dev.millrace.runtime.dataset.TaskRunner;
import dev.millrace.runtime.stream.StateNode;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.streaming.BatchInfo;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.EngineAccess;
import dev.millrace.streaming.ManualClock;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingContext;
import dev.millrace.streaming.StreamingListener;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
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

  @TempDir Path dir;
  private final TaskRunner runner = new TaskRunner(2, "state-partition-recovery-test");

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  /** Running counts of words over a queue, in {@value #PARTITIONS} partitions. */
  private static void runningCounts(
      StreamingContext ssc, Queue<List<String>> words, Map<Long, Map<String, Integer>> totals) {
    ssc.queueStream(words, true)
        .mapToPair(w -> Pair.of(w, 1))
        .updateStateByKey(
            (List<Integer> ones, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + ones.size()),
            PARTITIONS)
        .foreachBatch(
            b -> {
              Map<String, Integer> all = new TreeMap<>();
              b.collect().forEach(p -> all.put(p.key(), p.value()));
              totals.put(b.time(), all);
            });
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

  /** Runs batches 1 s to 7 s, checkpoints at 3 s and 6 s, then stops without a final one. */
  private long run(Map<Long, Map<String, Integer>> totals) throws InterruptedException {
    Queue<List<String>> words = new ArrayDeque<>();
    for (int k = 1; k <= 7; k++) {
      words.add(List.of("a", "b" + k % 2, "c" + k % 3, "a", "d" + k));
    }
    ManualClock clock = new ManualClock(0);
    StreamingContext ssc = context(clock);
    runningCounts(ssc, words, totals);
    List<Long> completed = new CopyOnWriteArrayList<>();
    ssc.addStreamingListener(
        new StreamingListener() {
          @Override
          public void onBatchCompleted(BatchInfo batch) {
            completed.add(batch.batchTime());
          }
        });
    ssc.start();
    for (long t = 1000; t <= 7000; t += 1000) {
      clock.setTime(t);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!completed.contains(t) && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      assertTrue(completed.contains(t), "batch " + t + " did not complete: " + completed);
    }
    long zeroTime = EngineAccess.graph(ssc).zeroTime();
    ssc.stop(false);
    return zeroTime;
  }

  /** The same application's graph, defined again as an executor would: no history. */
  private static StreamGraph executorGraph(long zeroTime) {
    StreamingContext ssc =
        StreamingContext.builder()
            .master("local[2]")
            .appName("recovery")
            .batchInterval(Durations.seconds(1))
            .build();
    runningCounts(ssc, new ArrayDeque<>(), new HashMap<>());
    StreamGraph graph = EngineAccess.graph(ssc);
    graph.start(zeroTime);
    graph.keepNoHistory();
    return graph;
  }

  private CheckpointStore store() {
    return new CheckpointStore(dir.resolve("checkpoint").toString(), new Configuration(), 2);
  }

  private Map<Object, Object> recoverAll(long zeroTime, long asOf) {
    StreamGraph graph = executorGraph(zeroTime);
    int node =
        graph.nodes().stream().filter(n -> n instanceof StateNode).findFirst().orElseThrow().id();
    Map<Object, Object> all = new TreeMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      Map<Object, Object> partition =
          new StatePartitionRecovery(store(), graph, runner).recover(node, p, asOf);
      for (Object key : partition.keySet()) {
        assertEquals(
            p,
            ((StateNode<?, ?, ?>) graph.nodes().get(node)).partitioner().partition(key),
            key + " is not in partition " + p);
      }
      all.putAll(partition);
    }
    return all;
  }

  @Test
  void aPartitionRebuiltFromTheNewestGenerationAndTheLogEqualsTheRunsState() throws Exception {
    Map<Long, Map<String, Integer>> totals = new ConcurrentHashMap<>();
    long zeroTime = run(totals);

    // Generation 6 s, then batch 7 s replayed from its plan.
    assertEquals(totals.get(7000L), recoverAll(zeroTime, 7000));
    // Generation 6 s alone.
    assertEquals(totals.get(6000L), recoverAll(zeroTime, 6000));
  }

  @Test
  void aBatchTheLogDoesNotReachCannotBeRebuiltAndSaysWhy() throws Exception {
    long zeroTime = run(new ConcurrentHashMap<>());

    CheckpointIncompatibleException late =
        assertThrows(CheckpointIncompatibleException.class, () -> recoverAll(zeroTime, 9000));
    assertTrue(late.getMessage().contains("ends before batch 9000"), late.getMessage());
    CheckpointIncompatibleException early =
        assertThrows(CheckpointIncompatibleException.class, () -> recoverAll(zeroTime, 5000));
    assertTrue(
        early.getMessage().contains("no valid generation at or before batch 5000"),
        early.getMessage());
  }
}
