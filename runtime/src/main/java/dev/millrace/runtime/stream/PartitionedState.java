package dev.millrace.runtime.stream;

import dev.millrace.runtime.shuffle.HashPartitioner;
import dev.millrace.runtime.task.TaskRunner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stateful stream whose state is hash-partitioned and can be kept, partition by partition, by the
 * executors that own the partitions ({@code updateStateByKey}, the incremental windowed reduce). An
 * owner holds a partition in its wire form: a map from key to a value the standard record codec
 * encodes.
 */
public interface PartitionedState {

  /** The id of the stream in its graph. */
  int id();

  /** How the keys are placed. */
  HashPartitioner partitioner();

  /**
   * One partition's state after a batch: {@code before} (wire form, empty without a previous state)
   * updated with {@code input}, what the driver's stage sent for the partition.
   */
  HashMap<Object, Object> updatePartition(Map<Object, Object> before, List<Object> input);

  /**
   * A rebuild of partition {@code partition} from a checkpoint generation's snapshot of this
   * stream, {@code snapshot}, taken at {@code snapshotTime}; the batches after it are then {@link
   * Recovery#replayed replayed} in order.
   */
  Recovery recover(List<Object> snapshot, long snapshotTime, int partition);

  /** One partition being rebuilt from a snapshot and the batches after it. */
  interface Recovery {

    /**
     * Batch {@code time}'s inputs were replayed into the graph (which keeps no history): take what
     * the partition needs of it and move the state forward if {@code time} is a batch of this
     * stream.
     */
    void replayed(long time, TaskRunner runner);

    /** The partition's state, in wire form, as of the newest batch of this stream replayed. */
    HashMap<Object, Object> state();
  }
}
