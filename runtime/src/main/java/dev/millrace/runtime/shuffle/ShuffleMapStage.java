package dev.millrace.runtime.shuffle;

import dev.millrace.runtime.dataset.Dataset;
import java.util.List;

/**
 * The map side of one shuffle being materialized, as a {@link ShuffleMapRunner} sees it: one task
 * per partition of {@link #input()}, each producing one map of combiners per reduce partition.
 */
public interface ShuffleMapStage {

  /** The shuffle's name in every process, or null if it has none and must run locally. */
  ShuffleId id();

  /** The dataset the map tasks read, one task per partition. */
  Dataset<?> input();

  /** How many map tasks there are. */
  int mapTasks();

  /** How many reduce partitions each map task writes. */
  int reducePartitions();

  /** Runs map task {@code mapTask} on the calling thread and keeps its output. */
  void runLocally(int mapTask);

  /**
   * Keeps the output of map task {@code mapTask} computed elsewhere: for each reduce partition, the
   * (key, combiner) pairs in the order the task's map produced them, flattened as key, combiner,
   * key, combiner...
   */
  void accept(int mapTask, List<List<Object>> keysAndCombiners);
}
