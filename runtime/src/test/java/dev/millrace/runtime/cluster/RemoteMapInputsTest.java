package dev.millrace.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.millrace.runtime.Contexts;
import dev.millrace.runtime.Engine;
import dev.millrace.runtime.dataset.Dataset;
import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.shuffle.ShuffleId;
import dev.millrace.runtime.shuffle.ShuffleMapRunner;
import dev.millrace.runtime.state.StateUpdateRunner;
import dev.millrace.runtime.stream.OutputOperation;
import dev.millrace.runtime.stream.StreamGraph;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.DStream;
import dev.millrace.streaming.Durations;
import dev.millrace.streaming.Pair;
import dev.millrace.streaming.StreamingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class RemoteMapInputsTest {
  private static final long ZERO = 10_000;
  private static final long T = ZERO + 1_000;

  /**
   * Word count, a count of counts (a shuffle after a shuffle) and a running count (a shuffle after
   * state), over one queue of lines.
   */
  private static StreamGraph graph() {
    StreamingContext ssc = new StreamingContext("local[2]", "words", Durations.seconds(1));
    Queue<List<String>> lines = new ArrayDeque<>();
    lines.add(List.of("a b a", "c a", "b"));
    DStream<String> words = ssc.queueStream(lines).flatMap(l -> Arrays.asList(l.split(" ")));
    var counts = words.mapToPair(w -> Pair.of(w, 1)).reduceByKey(Integer::sum);
    counts.print();
    counts.mapToPair(p -> Pair.of(p.value(), 1)).reduceByKey(Integer::sum).print();
    words
        .mapToPair(w -> Pair.of(w, 1))
        .updateStateByKey(
            (List<Integer> ones, Optional<Integer> total) ->
                Optional.of(total.orElse(0) + ones.size()))
        .mapToPair(p -> Pair.of(p.value(), 1))
        .reduceByKey(Integer::sum)
        .print();
    StreamGraph graph = Engine.graphOf(Contexts.description(ssc));
    graph.start(ZERO);
    return graph;
  }

  /** Plans batch {@code T} of every input, building the batch's plan with {@code record}. */
  private static void plan(StreamGraph graph, boolean record) {
    graph.planBatch(T, false, record);
  }

  /**
   * Materializes the outputs of batch {@code T} in {@code order}, returning for every shuffle in
   * the order it ran whether an executor could run its map tasks.
   */
  private Map<ShuffleId, Boolean> runOutputs(StreamGraph graph, List<Integer> order) {
    Map<ShuffleId, Boolean> remote = new LinkedHashMap<>();
    try (TaskRunner runner =
        new TaskRunner(
            2,
            "remote-map-inputs-test",
            (stage, local) -> {
              remote.put(stage.id(), RemoteMapInputs.of(graph, stage) != null);
              ShuffleMapRunner.LOCAL.run(stage, local);
            },
            StateUpdateRunner.LOCAL)) {
      List<OutputOperation<?>> outputs = graph.outputs();
      for (int i : order) {
        Dataset<?> ds = outputs.get(i).stream().getOrCompute(T);
        runner.prepare(List.of(ds));
      }
    }
    return remote;
  }

  @Test
  void shufflesGetTheSameIdsInAGraphBuiltTwiceWhateverOrderItsNodesAreComputedIn() {
    StreamGraph first = graph();
    plan(first, true);
    Map<ShuffleId, Boolean> once = runOutputs(first, List.of(0, 1, 2));
    StreamGraph second = graph();
    plan(second, true);
    Map<ShuffleId, Boolean> again = runOutputs(second, List.of(2, 1, 0));

    assertEquals(once.keySet(), again.keySet());
    assertEquals(4, once.size(), once.toString());
    for (ShuffleId id : once.keySet()) {
      assertNotNull(id);
      assertEquals(T, id.batchTime());
      assertEquals(0, id.index(), "one shuffle per node: " + id);
      String operation = first.nodes().get(id.nodeId()).operation();
      assertTrue(
          operation.equals("reduceByKey") || operation.equals("updateStateByKey"), operation);
    }
  }

  @Test
  void onlyAShuffleOverNarrowOperatorsOfRecordedInputsCanRunOnAnExecutor() {
    StreamGraph graph = graph();
    plan(graph, true);
    Map<ShuffleId, Boolean> remote = runOutputs(graph, List.of(0, 1, 2));

    List<String> eligible = new ArrayList<>();
    remote.forEach(
        (id, canRun) -> {
          if (canRun) {
            eligible.add(graph.nodes().get(id.nodeId()).operation());
          }
        });
    // The word count and the state's grouping of each batch's new words read only the input (an
    // executor rebuilds the grouping without the earlier state); the count of counts reads a
    // shuffle and the count of running totals reads state: those two stay in the driver.
    assertEquals(List.of("reduceByKey", "updateStateByKey"), eligible);
    assertEquals(2, remote.values().stream().filter(canRun -> !canRun).count(), remote.toString());
  }

  @Test
  void aShuffleOfInputWhosePlanWasNotRecordedRunsInTheDriver() {
    StreamGraph graph = graph();
    plan(graph, false);
    Map<ShuffleId, Boolean> remote = runOutputs(graph, List.of(0));
    assertEquals(List.of(false), List.copyOf(remote.values()));
  }

  @Test
  void aShuffleCreatedOutsideAnyNodeHasNoIdAndRunsInTheDriver() {
    StreamGraph graph = graph();
    plan(graph, true);
    Dataset<?> input = graph.inputs().get(0).planned(T);
    @SuppressWarnings("unchecked")
    Dataset<Pair<String, Integer>> pairs = (Dataset<Pair<String, Integer>>) (Dataset<?>) input;
    var shuffle =
        new ShuffleDataset<>(pairs, Aggregator.reducing(Integer::sum), new HashPartitioner(2));
    assertNull(shuffle.id());
  }
}
