package dev.millrace.runtime.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.millrace.runtime.dataset.ListDataset;
import dev.millrace.runtime.task.TaskRunner;
import dev.millrace.streaming.Pair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShuffleDatasetTest {
  private final TaskRunner runner = new TaskRunner(2, "shuffle-test");

  // Three map tasks (input partitions); "a" arrives in each of them.
  private static final ListDataset<Pair<String, Integer>> INPUT =
      new ListDataset<>(
          List.of(
              List.of(Pair.of("a", 1), Pair.of("b", 2), Pair.of("a", 3)),
              List.of(Pair.of("c", 4), Pair.of("a", 5)),
              List.of(Pair.of("b", 6), Pair.of("a", 7), Pair.of("d", 8))));

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  void groupsEveryKeyIntoItsOnePartitionWithItsValuesInMapTaskOrder() {
    HashPartitioner partitioner = new HashPartitioner(2);
    ShuffleDataset<String, Integer, List<Integer>> grouped =
        new ShuffleDataset<>(INPUT, Aggregator.grouping(), partitioner);
    runner.prepare(List.of(grouped));

    Map<String, List<Integer>> seen = new TreeMap<>();
    for (int p = 0; p < grouped.numPartitions(); p++) {
      for (Pair<String, List<Integer>> pair : grouped.collectPartition(p)) {
        assertEquals(partitioner.partition(pair.key()), p, "partition of " + pair.key());
        List<Integer> before = seen.put(pair.key(), pair.value());
        assertEquals(null, before, pair.key() + " appears in more than one record");
      }
    }
    assertEquals(
        Map.of("a", List.of(1, 3, 5, 7), "b", List.of(2, 6), "c", List.of(4), "d", List.of(8)),
        seen);
  }

  @Test
  void reducesEveryKeysValuesToOneRecord() {
    ShuffleDataset<String, Integer, Integer> sums =
        new ShuffleDataset<>(INPUT, Aggregator.reducing(Integer::sum), new HashPartitioner(3));
    Map<String, Integer> totals = new TreeMap<>();
    for (Pair<String, Integer> pair : runner.collect(sums)) {
      assertEquals(null, totals.put(pair.key(), pair.value()), "twice: " + pair.key());
    }
    assertEquals(Map.of("a", 16, "b", 8, "c", 4, "d", 8), totals);
  }

  @Test
  void combinesEachMapTasksValuesPerKeyBeforeTheShuffle() {
    HashPartitioner partitioner = new HashPartitioner(2);
    ShuffleDataset<String, Integer, Integer> sums =
        new ShuffleDataset<>(INPUT, Aggregator.reducing(Integer::sum), partitioner);

    HashMap<String, Integer>[] firstTask = sums.mapOutput(0);

    assertEquals(2, firstTask.length);
    Map<String, Integer> combined = new TreeMap<>();
    for (int r = 0; r < firstTask.length; r++) {
      for (Map.Entry<String, Integer> e : firstTask[r].entrySet()) {
        assertEquals(partitioner.partition(e.getKey()), r, "bucket of " + e.getKey());
        combined.put(e.getKey(), e.getValue());
      }
    }
    // Only the first input partition, one combiner per key: a's two values are already one.
    assertEquals(Map.of("a", 4, "b", 2), combined);
  }

  @Test
  void describesAMapTasksOutputAsKeyCombinerPairsPerReducePartition() {
    HashPartitioner partitioner = new HashPartitioner(2);
    ShuffleDataset<String, Integer, Integer> sums =
        new ShuffleDataset<>(INPUT, Aggregator.reducing(Integer::sum), partitioner);

    List<List<Object>> described = ShuffleDataset.keysAndCombiners(sums.mapOutput(1));

    assertEquals(2, described.size());
    Map<Object, Object> flat = new TreeMap<>();
    for (int r = 0; r < described.size(); r++) {
      List<Object> part = described.get(r);
      for (int i = 0; i < part.size(); i += 2) {
        assertEquals(partitioner.partition(part.get(i)), r, "bucket of " + part.get(i));
        flat.put(part.get(i), part.get(i + 1));
      }
    }
    assertEquals(Map.of("a", 5, "c", 4), flat);
  }
}
