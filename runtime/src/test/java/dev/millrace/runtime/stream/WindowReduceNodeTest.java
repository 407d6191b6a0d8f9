package dev.millrace.runtime.stream;

import static dev.millrace.runtime.stream.TestingQueues.ignoring;
import static dev.millrace.runtime.stream.TestingQueues.queueInput;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WindowReduceNodeTest {
  private static final long INTERVAL = 100;
  private static final HashPartitioner PARTITIONER = new HashPartitioner(2);

  private final TaskRunner runner = new TaskRunner(2, "window-reduce-test");
  private final StreamGraph graph = new StreamGraph("counts", Durations.milliseconds(INTERVAL));
  private final InputNode<Pair<String, Integer>> words =
      queueInput(
          graph,
          List.of(one("a"), one("a"), one("b")),
          List.of(one("b")),
          List.of(one("a")),
          List.of(),
          List.of(one("c")));

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void eachWindowIsThePreviousOneWithTheLeavingBatchSubtractedAndTheEnteringOneAdded() {
    assertEquals(
        List.of(
            "100 {a=2, b=1}",
            "200 {a=2, b=2}",
            "300 {a=3, b=2}",
            "400 {a=1, b=1}",
            // b left with batch 200: a key none of the window's batches holds is dropped.
            "500 {a=1, c=1}"),
        runFiveBatches(null));
  }

  @Test
  void theFilterHidesPairsFromTheOutputWhileTheWindowKeepsCountingThem() {
    assertEquals(
        // b=1 is hidden at 100, yet counted at 200.
        List.of("100 {a=2}", "200 {a=2, b=2}", "300 {a=3, b=2}", "400 {}", "500 {}"),
        runFiveBatches(pair -> pair.value() >= 2));
  }

  /** A window of three batches sliding by one, counting words: "time {word=count}" per batch. */
  private List<String> runFiveBatches(Predicate<? super Pair<String, Integer>> filter) {
    StreamNode<Pair<String, Integer>> perBatch =
        new MappedNode<Pair<String, Integer>, Pair<String, Integer>>(
            words,
            "reduceByKeyAndWindow",
            (ds, t) -> new ShuffleDataset<>(ds, Aggregator.reducing(Integer::sum), PARTITIONER));
    WindowReduceNode<String, Integer> window =
        new WindowReduceNode<>(
            perBatch,
            Durations.milliseconds(3 * INTERVAL),
            Durations.milliseconds(INTERVAL),
            Integer::sum,
            (total, leaving) -> total - leaving,
            filter,
            PARTITIONER);
    graph.addOutput(ignoring(window));
    graph.start(0);
    List<String> seen = new ArrayList<>();
    for (long time = INTERVAL; time <= 5 * INTERVAL; time += INTERVAL) {
      graph.planBatch(time, false, false);
      Map<String, Integer> counts = new TreeMap<>();
      for (Pair<String, Integer> pair : runner.collect(window.getOrCompute(time))) {
        assertEquals(null, counts.put(pair.key(), pair.value()), "twice: " + pair.key());
      }
      seen.add(time + " " + counts);
      graph.forgetUpTo(time);
    }
    return seen;
  }

  private static Pair<String, Integer> one(String word) {
    return Pair.of(word, 1);
  }
}
