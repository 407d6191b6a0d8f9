package dev.millrace.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.millrace.runtime.dataset.ListDataset;
import dev.millrace.runtime.shuffle.Aggregator;
import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.shuffle.ShuffleDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StateDatasetTest {
  private static final HashPartitioner PARTITIONER = new HashPartitioner(2);

  // A running sum; a key that receives a 0 is removed.
  private static final BiFunction<List<Integer>, Optional<Integer>, Optional<Integer>> SUM =
      (values, state) ->
          values.contains(0)
              ? Optional.empty()
              : Optional.of(state.orElse(0) + values.stream().mapToInt(v -> v).sum());

  private final TaskRunner runner = new TaskRunner(2, "state-test");
  private final List<String> calls = new ArrayList<>();

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void updatesKeptKeysAddsNewKeysDropsKeysUpdatedToEmptyAndKeepsUntouchedKeys() {
    Map<String, Integer> before = Map.of("a", 1, "b", 2, "c", 3);
    Map<String, List<Integer>> arrived =
        Map.of("a", List.of(10), "b", List.of(0), "d", List.of(7, 1));

    HashMap<String, Integer> after = StateDataset.updatePartition(before, arrived, SUM);

    assertEquals(Map.of("a", 11, "c", 3, "d", 8), after);
  }

  @Test
  void callsTheUpdateForUntouchedKeysWithNoValuesAndForNewKeysWithNoState() {
    BiFunction<List<Integer>, Optional<Integer>, Optional<Integer>> recording =
        (values, state) -> {
          calls.add(values + " " + state);
          return state.isPresent() ? state : Optional.of(values.size());
        };

    HashMap<String, Integer> after =
        StateDataset.updatePartition(Map.of("kept", 5), Map.of("new", List.of(1, 2)), recording);

    assertEquals(List.of("[] Optional[5]", "[1, 2] Optional.empty"), calls);
    assertEquals(Map.of("kept", 5, "new", 2), after);
  }

  @Test
  void carriesStateFromBatchToBatchThroughItsPartitions() {
    StateDataset<String, Integer, Integer> first =
        new StateDataset<>(
            0,
            100,
            0,
            null,
            grouped(List.of(Pair.of("a", 1), Pair.of("b", 2), Pair.of("a", 3))),
            SUM,
            PARTITIONER);
    assertEquals(Map.of("a", 4, "b", 2), collect(first));

    StateDataset<String, Integer, Integer> second =
        new StateDataset<>(
            0,
            200,
            100,
            first,
            grouped(List.of(Pair.of("b", 0), Pair.of("c", 5), Pair.of("a", 1))),
            SUM,
            PARTITIONER);
    assertEquals(Map.of("a", 5, "c", 5), collect(second));

    StateDataset<String, Integer, Integer> third =
        new StateDataset<>(0, 300, 200, second, grouped(List.of()), SUM, PARTITIONER);
    assertEquals(Map.of("a", 5, "c", 5), collect(third));
    for (int p = 0; p < PARTITIONER.partitions(); p++) {
      for (String key : third.partitionMap(p).keySet()) {
        assertEquals(PARTITIONER.partition(key), p, "partition of " + key);
      }
    }
  }

  @Test
  void refusesPreviousStatePartitionedOtherwiseNamingBothPartitioners() {
    @SuppressWarnings("unchecked")
    HashMap<String, Integer>[] parts = new HashMap[] {new HashMap<>(), new HashMap<>()};
    StateDataset<String, Integer, Integer> previous = StateDataset.restored(parts, PARTITIONER);
    HashPartitioner three = new HashPartitioner(3);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new StateDataset<>(0, 200, 100, previous, grouped(List.of(), three), SUM, three));

    assertEquals(
        "state partitioned by HashPartitioner[partitions=2] cannot be updated with"
            + " HashPartitioner[partitions=3]",
        e.getMessage());
  }

  private static ShuffleDataset<String, Integer, List<Integer>> grouped(
      List<Pair<String, Integer>> values) {
    return grouped(values, PARTITIONER);
  }

  private static ShuffleDataset<String, Integer, List<Integer>> grouped(
      List<Pair<String, Integer>> values, HashPartitioner partitioner) {
    return new ShuffleDataset<>(ListDataset.sliced(values, 2), Aggregator.grouping(), partitioner);
  }

  private Map<String, Integer> collect(StateDataset<String, Integer, Integer> state) {
    Map<String, Integer> out = new TreeMap<>();
    for (Pair<String, Integer> pair : runner.collect(state)) {
      assertEquals(null, out.put(pair.key(), pair.value()), "twice: " + pair.key());
    }
    return out;
  }
}
