package dev.millrace.runtime.dataset;

import java.util.Map;

/**
 * An input dataset that counts the records of each partition as it computes it, and takes the
 * counts of partitions computed in another process from the same plan: a batch's input read only by
 * executors is counted without the driver reading it.
 */
public interface CountedInput extends Sized {

  /** The record count of every partition counted so far, here or elsewhere, by partition. */
  Map<Integer, Long> countedPartitions();

  /**
   * Takes the count of {@code partition} computed elsewhere from the same plan; a partition already
   * counted keeps its count, which is the same.
   *
   * @throws IllegalArgumentException if the dataset has no such partition
   */
  void countedElsewhere(int partition, long records);

  /**
   * The number of records, computing every partition not counted yet: cheap once every partition
   * was read by a task, here or on an executor.
   */
  @Override
  long size();
}
